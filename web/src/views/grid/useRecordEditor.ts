/** A record form's state and its save, shared by the record drawer and the form view: the fields
 * the user may write (and the business types' fields), the form's first values, and a save that
 * puts the API's errors on their fields. */

import { Form, type FormInstance } from "antd";
import { useMemo, useState } from "react";

import { ApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { Collection, Field, RecordData } from "../../api/types";
import { isWritable } from "../../fields/registry";
import { useT } from "../../i18n";
import { useCatalog } from "../../kernel/catalog";
import { allowedFields, useSession } from "../../kernel/session";
import { errorPlaces, initialValues, recordBody, type FormExtension, type FormValues } from "./formValues";

type FieldData = Parameters<FormInstance<FormValues>["setFields"]>[0][number];

export interface RecordEditor {
  form: FormInstance<FormValues>;
  editable: Field[];
  extensions: FormExtension[];
  initial: FormValues;
  saving: boolean;
  /** What went wrong with the last save that is not on a field shown (or "fix the fields"). */
  problem: string | null;
  /** Saves; `onSaved` gets the record (null: an existing record had no change). */
  save: (onSaved: (record: RecordData | null, created: boolean) => void, onRefused?: () => void) => Promise<void>;
  setProblem: (problem: string | null) => void;
}

/** `record` null: a new record. `canWrite` narrows the fields the form offers (the role's rules and
 * the view's choice); business types' fields follow the role alone. */
export function useRecordEditor(collection: Collection, record: RecordData | null, canWrite: (field: Field) => boolean): RecordEditor {
  const t = useT();
  const { user } = useSession();
  const { get } = useCatalog();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const creating = record === null;

  const editable = useMemo(() => collection.fields.filter((f) => isWritable(f) && canWrite(f)), [collection, canWrite]);
  const extensions: FormExtension[] = useMemo(() => {
    const action = creating ? "create" : "update";
    return (collection.extensions ?? [])
      .map((n) => get(n))
      .filter((c): c is Collection => Boolean(c?.extends))
      .map((c) => {
        const allowed = allowedFields(user, c.name, action);
        // Who may write none of the master's fields writes none of its extension's either.
        const mayWrite = editable.length > 0;
        return { collection: c, editable: c.fields.filter((f) => mayWrite && isWritable(f) && (allowed === null || allowed.has(f.name))) };
      });
  }, [collection, get, user, creating, editable]);
  const initial = useMemo(() => initialValues(editable, extensions, record), [editable, extensions, record]);

  const save: RecordEditor["save"] = async (onSaved, onRefused) => {
    const values = form.getFieldsValue(true) as FormValues;
    const body = recordBody(editable, extensions, values, record);
    setSaving(true);
    setProblem(null);
    // Clear the errors shown by the last try, own fields and extension fields alike.
    form.setFields([
      ...editable.map((f) => ({ name: f.name, errors: [] })),
      ...extensions.flatMap((e) => e.editable.map((f) => ({ name: [e.collection.name, f.name], errors: [] }))),
    ] as FieldData[]);
    try {
      if (creating) onSaved(await endpoints.createRecord(collection.name, body), true);
      else if (Object.keys(body).length > 0) onSaved(await endpoints.updateRecord(collection.name, record.id, body), false);
      else onSaved(null, false);
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setProblem(String(e));
        return;
      }
      const places = errorPlaces(e.errors, editable, extensions);
      const onFields = places.filter((p): p is { name: string[]; message: string } => p.name !== null);
      form.setFields(onFields.map((p) => ({ name: p.name.length === 1 ? p.name[0] : p.name, errors: [p.message] })) as FieldData[]);
      onRefused?.();
      if (onFields.length === 0) setProblem(e.message);
      else if (onFields.length < places.length) setProblem(places.filter((p) => p.name === null).map((p) => p.message).join("; "));
      else setProblem(t("record.fixErrors"));
    } finally {
      setSaving(false);
    }
  };

  return { form, editable, extensions, initial, saving, problem, save, setProblem };
}
