"use client";
/**
 * Marks the page's content as hydrated (`<body data-ready="true">`): rendered inside each page's
 * Suspense boundary, its effect runs once that boundary's interactive parts can respond. Browser
 * tests wait for it instead of guessing.
 */
import { useEffect } from "react";

export function PageReady() {
  useEffect(() => {
    document.body.dataset.ready = "true";
    return () => {
      delete document.body.dataset.ready;
    };
  }, []);
  return null;
}
