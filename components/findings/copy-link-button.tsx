"use client";
/** Copies the current page's URL: every filter lives in it, so the link reproduces the view. */
import { CopyButton } from "../ui/copy-button";
import { useEffect, useState } from "react";

export function CopyLinkButton() {
  const [href, setHref] = useState("");
  useEffect(() => setHref(window.location.href), []);
  return <CopyButton text={href} label="Copy link to this view" />;
}
