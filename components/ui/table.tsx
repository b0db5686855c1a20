/** Table primitives: one density and one header style everywhere; wide tables scroll inside their panel. */
import type { ReactNode, ThHTMLAttributes, TdHTMLAttributes } from "react";

export function Table({ children, caption, className = "" }: { children: ReactNode; caption?: string; className?: string }) {
  return (
    <div className="relative overflow-x-auto">
      <table className={`w-full border-collapse text-left text-sm ${className}`}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function Th({ children, className = "", ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th scope="col" className={`whitespace-nowrap border-b border-slate-200 bg-slate-50 px-3 py-2 text-xs font-semibold text-slate-600 ${className}`} {...rest}>
      {children}
    </th>
  );
}

export function Td({ children, className = "", ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return (
    <td className={`border-b border-slate-100 px-3 py-2 align-top ${className}`} {...rest}>
      {children}
    </td>
  );
}
