/** Button and link-button class names (one look for every action). */
const base =
  "inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:cursor-not-allowed disabled:opacity-60";

export const buttonPrimary = `${base} bg-blue-700 text-white hover:bg-blue-800`;
export const buttonSecondary = `${base} bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50`;
export const buttonDanger = `${base} bg-white text-red-700 ring-1 ring-inset ring-red-300 hover:bg-red-50`;
export const buttonSmall = "!px-2 !py-1 !text-xs";
export const inputClass =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-blue-600";
export const linkClass = "font-medium text-blue-700 hover:text-blue-900 hover:underline";
