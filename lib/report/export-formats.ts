/** The machine-readable export formats (a module of its own, so the CLI can list them without loading the renderers). */
export const EXPORT_FORMATS = ["csv", "json", "ocsf", "oscal-ar", "oscal-poam", "oscal-ap"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
