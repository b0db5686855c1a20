"use client";
/**
 * A GET form that navigates client-side (next/form) and submits itself when a select or checkbox
 * changes; text fields submit on Enter or with the Apply button. The URL is the only state, and
 * it carries only the fields that have a value.
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
      onSubmit={(e) => {
        // Empty fields stay out of the URL, so a shared link names only the filters in use.
        const empty = [...e.currentTarget.elements].filter(
          (el): el is HTMLInputElement | HTMLSelectElement =>
            (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) && el.name !== "" && !el.disabled && el.value.trim() === "",
        );
        for (const el of empty) el.disabled = true;
        setTimeout(() => {
          for (const el of empty) el.disabled = false;
        }, 0);
      }}
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
