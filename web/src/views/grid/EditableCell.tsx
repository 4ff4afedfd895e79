/** A grid cell: shows the value; a double click edits simple types in place and saves with PATCH,
 * keeping the editor open with the API's message when the value is refused, and opens the record
 * for the others (files, rich text, JSON). */

import { Tooltip } from "antd";
import { memo, useEffect, useRef, useState } from "react";

import { ApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { JSONValue, RecordData } from "../../api/types";
import { fieldType } from "../../fields/registry";
import { useT } from "../../i18n";
import { cellValue, hasExtension, writeBody, type GridField } from "./columns";
import { sameValue, toWrite } from "./values";

interface Props {
  collection: string;
  record: RecordData;
  field: GridField;
  editable: boolean;
  onSaved: (record: RecordData) => void;
  /** Opens the record (for fields edited in the record form rather than in the cell). */
  onOpen?: (record: RecordData) => void;
}

function EditableCellInner({ collection, record, field, editable: allowed, onSaved, onOpen }: Props) {
  const t = useT();
  const type = fieldType(field.type);
  const original = cellValue(record, field);
  const editable = allowed && hasExtension(record, field);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<JSONValue | undefined>(original);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const box = useRef<HTMLDivElement | null>(null);
  const Editor = type.inline ? type.Editor : undefined;
  const opens = editable && !Editor && type.Editor !== undefined && onOpen !== undefined;

  // Focus without scrolling: the virtual grid moves its columns itself, and a native scroll of
  // its body (what a plain focus() does for a cell partly out of view) would shift the body
  // away from the header.
  useEffect(() => {
    if (editing) box.current?.querySelector<HTMLElement>("input, textarea")?.focus({ preventScroll: true });
  }, [editing]);

  if (!editing || !Editor) {
    return (
      <div
        className={editable && (Editor || opens) ? "cell cell-editable" : "cell"}
        data-field={field.name}
        title={editable && Editor ? t("grid.doubleClickToEdit") : opens ? t("cell.doubleClickToOpen") : undefined}
        onDoubleClick={() => {
          if (opens) onOpen?.(record);
          if (!editable || !Editor) return;
          setDraft(original);
          setError(null);
          setEditing(true);
        }}
      >
        {type.render(original, field, t)}
      </div>
    );
  }

  const commit = async (value?: JSONValue) => {
    const next = value === undefined ? draft : value;
    if (busy.current) return;
    if (sameValue(field, next, original)) {
      setEditing(false);
      return;
    }
    busy.current = true;
    try {
      const saved = await endpoints.updateRecord(collection, record.id, writeBody(field, toWrite(field, next)));
      setEditing(false);
      setError(null);
      onSaved({ ...record, ...saved });
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.fieldMessages()[field.name] ?? e.errors[0]?.message ?? e.message);
      } else {
        setError(String(e));
      }
    } finally {
      busy.current = false;
    }
  };

  return (
    <Tooltip open={error !== null} title={error} color="red" placement="bottom">
      <div className="cell cell-editing" data-field={field.name} ref={box}>
        <Editor
          field={field}
          value={draft}
          inline
          status={error ? "error" : undefined}
          onChange={(v) => {
            setDraft(v);
            setError(null);
          }}
          onCommit={(v) => void commit(v)}
          onCancel={() => {
            setEditing(false);
            setError(null);
          }}
        />
      </div>
    </Tooltip>
  );
}

export const EditableCell = memo(EditableCellInner);
