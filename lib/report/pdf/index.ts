export { renderTenantPdf, renderSubscriptionPdf, renderResourcePdf, PDF_AUTHOR } from "./render";
