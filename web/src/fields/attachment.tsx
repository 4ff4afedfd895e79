/** Attachments: files uploaded to `POST /api/attachments`, held by the record as a list; images
 * show a preview, every file downloads. The file routes need the session's token, so files are
 * fetched (not linked) and shown through object URLs. */

import { DeleteOutlined, DownloadOutlined, FileOutlined, LoadingOutlined, PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { App as AntApp, Button, Flex, Image, Tag, Typography, Upload } from "antd";
import { useEffect, useRef, useState } from "react";

import { ApiError } from "../api/client";
import * as endpoints from "../api/endpoints";
import type { Attachment, JSONValue } from "../api/types";
import { useT } from "../i18n";
import "./attachment.css";
import type { EditorProps, FieldTypeUI } from "./types";

/** The files of a value (objects from the API; a bare id is a file whose details are unknown). */
export function attachmentList(value: JSONValue | undefined): Attachment[] {
  if (!Array.isArray(value)) return [];
  const out: Attachment[] = [];
  for (const v of value) {
    if (typeof v === "number") out.push({ id: v, filename: `#${v}`, size: 0, mime_type: "", url: `/api/attachments/${v}` });
    else if (v && typeof v === "object" && !Array.isArray(v) && typeof v.id === "number") {
      out.push({
        id: v.id,
        filename: typeof v.filename === "string" ? v.filename : `#${v.id}`,
        size: typeof v.size === "number" ? v.size : 0,
        mime_type: typeof v.mime_type === "string" ? v.mime_type : "",
        url: typeof v.url === "string" ? v.url : `/api/attachments/${v.id}`,
      });
    }
  }
  return out;
}

function toJson(files: Attachment[]): JSONValue {
  return files.map(({ id, filename, size, mime_type, url }) => ({ id, filename, size, mime_type, url }));
}

export function isImage(file: Attachment): boolean {
  return file.mime_type.startsWith("image/");
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** What the field's `accept` option (`image/`, `application/pdf`) means to a file input. */
export function acceptAttr(accept: unknown): string | undefined {
  if (!Array.isArray(accept) || accept.length === 0) return undefined;
  return accept.map((a) => (typeof a === "string" && a.endsWith("/") ? `${a}*` : String(a))).join(",");
}

// One fetch per file and page load: previews are small and files do not change.
const blobs = new Map<number, Promise<string>>();

function objectUrl(id: number): Promise<string> {
  let url = blobs.get(id);
  if (!url) {
    url = endpoints.fetchAttachment(id).then((blob) => URL.createObjectURL(blob));
    url.catch(() => blobs.delete(id));
    blobs.set(id, url);
  }
  return url;
}

export async function downloadAttachment(file: Attachment): Promise<void> {
  const a = document.createElement("a");
  a.href = await objectUrl(file.id);
  a.download = file.filename;
  a.click();
}

function Preview({ file }: { file: Attachment }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    objectUrl(file.id).then(
      (url) => live && setSrc(url),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [file.id]);
  if (failed) return <FileOutlined className="attachment-icon" />;
  if (!src) return <LoadingOutlined className="attachment-icon" />;
  return <Image src={src} alt={file.filename} width={64} height={64} style={{ objectFit: "cover", borderRadius: 4 }} data-testid="attachment-preview" />;
}

/** The files, each with its preview (images) or icon, name, size, download and (editing) remove. */
export function AttachmentList({ files, onRemove }: { files: Attachment[]; onRemove?: (id: number) => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  return (
    <Flex vertical gap={8}>
      {files.map((file) => (
        <Flex key={file.id} gap={12} align="center" className="attachment-item" data-testid="attachment-item">
          {isImage(file) ? <Preview file={file} /> : <FileOutlined className="attachment-icon" />}
          <Flex vertical style={{ minWidth: 0, flex: 1 }}>
            <Typography.Text ellipsis>{file.filename}</Typography.Text>
            {file.size > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatSize(file.size)}</Typography.Text>}
          </Flex>
          <Button
            type="text"
            icon={<DownloadOutlined />}
            aria-label={t("attachment.download", { name: file.filename })}
            onClick={() => void downloadAttachment(file).catch((e: unknown) => void message.error(e instanceof Error ? e.message : String(e)))}
          />
          {onRemove && (
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={t("attachment.remove", { name: file.filename })} onClick={() => onRemove(file.id)} />
          )}
        </Flex>
      ))}
    </Flex>
  );
}

function AttachmentEditor({ field, value, onChange, id }: EditorProps) {
  const t = useT();
  const files = attachmentList(value);
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const max = typeof field.options?.max_files === "number" ? field.options.max_files : 10;
  const full = files.length + uploading >= max;
  // The newest list: several uploads may finish before the form hands the value back.
  const current = useRef(files);
  useEffect(() => {
    current.current = attachmentList(value);
  }, [value]);

  return (
    <Flex vertical gap={8} id={id}>
      <AttachmentList files={files} onRemove={(rid) => onChange(toJson(files.filter((f) => f.id !== rid)))} />
      <Upload
        multiple
        showUploadList={false}
        accept={acceptAttr(field.options?.accept)}
        disabled={full}
        customRequest={({ file }) => {
          setUploading((n) => n + 1);
          setError(null);
          endpoints
            .uploadAttachment(file as File)
            .then((saved) => {
              current.current = [...current.current, saved];
              onChange(toJson(current.current));
            })
            .catch((e: unknown) => setError(e instanceof ApiError ? (e.fieldMessages().file ?? e.message) : String(e)))
            .finally(() => setUploading((n) => n - 1));
        }}
      >
        <Button icon={uploading > 0 ? <LoadingOutlined /> : <UploadOutlined />} disabled={full} data-testid={`upload-${field.name}`}>
          {uploading > 0 ? t("attachment.uploading") : t("attachment.upload")}
        </Button>
      </Upload>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </Flex>
  );
}

function AttachmentTags({ value }: { value: JSONValue | undefined }) {
  return attachmentList(value).map((a) => (
    <Tag key={a.id} variant="filled" icon={<PaperClipOutlined />}>
      {a.filename}
    </Tag>
  ));
}

export const attachmentTypes: FieldTypeUI[] = [
  {
    key: "attachment",
    kind: "file",
    writable: true,
    inline: false,
    creatable: true,
    width: 200,
    layout: "full",
    render: (value) => <AttachmentTags value={value} />,
    Editor: AttachmentEditor,
  },
];
