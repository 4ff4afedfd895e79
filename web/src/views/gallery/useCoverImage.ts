/** A cover image as an object URL: attachments need the session's token, which an <img src> cannot
 * send, so the file is fetched once it scrolls near the view and kept for the other cards. */

import { useEffect, useRef, useState, type RefObject } from "react";

import * as endpoints from "../../api/endpoints";
import type { Cover } from "./model";

/** Object URLs by attachment id; the oldest are released past this many. */
const KEEP = 300;
const cache = new Map<number, Promise<string>>();

function objectUrl(cover: Cover): Promise<string> {
  const known = cache.get(cover.id);
  if (known) return known;
  const promise = endpoints.fetchAttachment(cover.id).then((blob) => URL.createObjectURL(blob));
  promise.catch(() => cache.delete(cover.id));
  cache.set(cover.id, promise);
  if (cache.size > KEEP) {
    const [oldest, url] = cache.entries().next().value as [number, Promise<string>];
    cache.delete(oldest);
    void url.then((u) => URL.revokeObjectURL(u)).catch(() => undefined);
  }
  return promise;
}

/** The element to observe and the image's URL once loaded (null before, or without a cover). */
export function useCoverImage<T extends HTMLElement>(cover: Cover | null): [RefObject<T | null>, string | null, boolean] {
  const ref = useRef<T | null>(null);
  const [near, setNear] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!cover || near || !el) return;
    if (typeof IntersectionObserver === "undefined") {
      setNear(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), { rootMargin: "300px" });
    observer.observe(el);
    return () => observer.disconnect();
  }, [cover, near]);

  const id = cover?.id ?? null;
  useEffect(() => {
    if (!cover || !near) return;
    let live = true;
    objectUrl(cover)
      .then((u) => live && setUrl(u))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
    // The cover object changes with each page of records; its id is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, near]);

  return [ref, cover ? url : null, failed];
}
