"use client";
/**
 * A GET form that navigates client-side (next/form) and submits itself when a select or checkbox
 * changes; text fields submit on Enter or with the Apply button. The URL is the only state.
 */
import Form from "next/form";
import type { ReactNode } from "react";

export function AutoSubmitForm({ action, children, label }: { action: string; children: ReactNode; label: string }) {
  return (
    <Form
      action={action}
      aria-label={label}
      role="search"
      data-keep-focus
      onChange={(e) => {
        const t = e.target as HTMLElement;
        if (t instanceof HTMLSelectElement || (t instanceof HTMLInputElement && (t.type === "checkbox" || t.type === "radio"))) {
          e.currentTarget.requestSubmit();
        }
      }}
    >
      {children}
    </Form>
  );
}
