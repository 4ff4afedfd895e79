/** What the web app knows about a field type: its value kind, how a value looks and how it is edited. */

import type { ComponentType, ReactNode } from "react";

import type { Field, JSONValue } from "../api/types";
import type { Translate } from "../i18n";

/** The server's value kinds (filter operators match on these, never on type names). */
export type ValueKind =
  | "text"
  | "number"
  | "date"
  | "datetime"
  | "time"
  | "bool"
  | "ref"
  | "refs"
  | "array"
  | "json"
  | "file";

export interface EditorProps {
  field: Field;
  value: JSONValue | undefined;
  onChange: (value: JSONValue) => void;
  /** Inline editors: leave the cell, keeping (commit, with the value if it just changed) or
   * dropping (cancel) the change. */
  onCommit?: (value?: JSONValue) => void;
  onCancel?: () => void;
  /** In a grid cell: the cell focuses the editor (without scrolling), and choices open at once. */
  inline?: boolean;
  status?: "error";
  id?: string;
}

export interface FieldTypeUI {
  /** The server's key (`select`, `many_to_one`): persisted, identical in server, API and UI. */
  readonly key: string;
  readonly kind: ValueKind;
  /** Users write its values (false for system and computed fields). */
  readonly writable: boolean;
  /** Edited right in a grid cell (simple values); the others open the record drawer. */
  readonly inline: boolean;
  /** Offered by the schema designer for new fields. */
  readonly creatable: boolean;
  readonly width: number;
  /** In the record form: half the width (short values) or the whole width (long text, lists, files). */
  readonly layout?: "half" | "full";
  render: (value: JSONValue | undefined, field: Field, t: Translate) => ReactNode;
  Editor?: ComponentType<EditorProps>;
}
