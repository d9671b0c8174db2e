/**
 * The manifest of a structured image dataset: one row per image file with where it is, its class
 * and label index, where it came from, its split, its SHA-256 and difference hash, and its size.
 * Written twice, as `manifest.csv` (RFC 4180, header row, `\n` line ends) and `manifest.json` (an
 * array of rows), each atomically.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../io/atomic";
import { FormatError } from "../util/errors";
import { IMAGE_SPLITS, type ImageSplitName } from "./split-images";

/** One image of a structured dataset. */
export interface ManifestEntry {
  /** Path relative to the dataset folder, with `/`: `train/bear/000000123456.jpg`. */
  path: string;
  /** Image id (COCO id, or the new id of a CIFAR record). */
  id: number;
  /** Class index: the position of `class` in the sorted class names. */
  label: number;
  class: string;
  /** Where the image came from: `coco`, `cifar`, ... */
  source: string;
  split: ImageSplitName;
  sha256: string;
  /** 64-bit difference hash, 16 hex digits (see `phash.ts`). */
  dhash: string;
  width: number;
  height: number;
}

/** The manifest's columns, in order. */
export const MANIFEST_COLUMNS = [
  "path",
  "id",
  "label",
  "class",
  "source",
  "split",
  "sha256",
  "dhash",
  "width",
  "height",
] as const;

function csvField(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The manifest as CSV text (header row, one row per entry).
 * @example manifestCsv(entries).split("\n")[0] // "path,id,label,class,source,split,sha256,dhash,width,height"
 */
export function manifestCsv(entries: readonly ManifestEntry[]): string {
  const rows = entries.map((e) => MANIFEST_COLUMNS.map((c) => csvField(e[c])).join(","));
  return [MANIFEST_COLUMNS.join(","), ...rows].join("\n") + "\n";
}

/**
 * Write `manifest.csv` and `manifest.json` into `dir`, each through a temp file and a rename.
 * @returns the two files written
 * @example writeManifest("out/image/structured", entries)
 */
export function writeManifest(dir: string, entries: readonly ManifestEntry[]): { csv: string; json: string } {
  const csv = path.join(dir, "manifest.csv");
  const json = path.join(dir, "manifest.json");
  writeFileAtomic(csv, manifestCsv(entries));
  writeFileAtomic(json, JSON.stringify(entries, null, 1) + "\n");
  return { csv, json };
}

/**
 * Read `manifest.json` of a structured dataset folder, checking every field.
 * @throws FormatError naming the file, the row and the field
 * @example readManifest("out/image/structured").filter((e) => e.split === "test").length
 */
export function readManifest(dir: string): ManifestEntry[] {
  const file = path.join(dir, "manifest.json");
  let rows: unknown;
  try {
    rows = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new FormatError(`manifest cannot be read: ${file} (${(e as Error).message})`, { cause: e });
  }
  if (!Array.isArray(rows)) throw new FormatError(`manifest is not an array of rows (${file})`);
  const checks: Record<(typeof MANIFEST_COLUMNS)[number], (v: unknown) => boolean> = {
    path: (v) => typeof v === "string" && v !== "",
    id: (v) => Number.isSafeInteger(v),
    label: (v) => Number.isInteger(v) && (v as number) >= 0,
    class: (v) => typeof v === "string" && v !== "",
    source: (v) => typeof v === "string",
    split: (v) => (IMAGE_SPLITS as readonly unknown[]).includes(v),
    sha256: (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v),
    dhash: (v) => typeof v === "string" && /^[0-9a-f]{16}$/.test(v),
    width: (v) => Number.isInteger(v) && (v as number) > 0,
    height: (v) => Number.isInteger(v) && (v as number) > 0,
  };
  rows.forEach((row, i) => {
    for (const column of MANIFEST_COLUMNS) {
      const value = row === null || typeof row !== "object" ? undefined : (row as Record<string, unknown>)[column];
      if (!checks[column](value)) {
        throw new FormatError(
          `manifest field "${column}" is ${JSON.stringify(value) ?? "missing"} (${file}, row ${i})`,
        );
      }
    }
  });
  return rows as ManifestEntry[];
}
