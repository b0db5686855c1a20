/** Registers the report fonts on a pdfkit document and wraps each as a Face for text.ts. */
import { fontPath, FONT_FILES, type FaceName } from "./fonts";
import { Face, isEmbeddedFont } from "./text";

export function loadFaces(doc: PDFKit.PDFDocument): Record<FaceName, Face> {
  const faces = {} as Record<FaceName, Face>;
  for (const name of Object.keys(FONT_FILES) as FaceName[]) {
    doc.registerFont(name, fontPath(name));
    doc.font(name);
    const font = (doc as unknown as { _font: unknown })._font;
    if (!isEmbeddedFont(font)) throw new Error(`pdfkit did not load ${FONT_FILES[name]} as an embedded TrueType font`);
    faces[name] = new Face(name, font);
  }
  doc.font("regular");
  return faces;
}
