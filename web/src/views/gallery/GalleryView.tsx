/** The gallery view: a card per record with its title and cover image (the first image of an
 * attachment field), loaded page by page with cursors as the user scrolls. */

import { FileImageOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Empty, Flex, Select, Spin, Typography } from "antd";
import { memo, useEffect, useMemo, useRef, useState } from "react";

import type { Field, RecordData } from "../../api/types";
import { fieldType } from "../../fields/registry";
import { labelField, recordLabel } from "../../fields/relation";
import { fieldTitle, isEmpty } from "../../fields/values";
import { useT } from "../../i18n";
import { allowedFields, can, useSession } from "../../kernel/session";
import { pick, useFieldChoice, useViewDraft } from "../calendar/viewChoice";
import { ViewExportButton } from "../grid/ExportButton";
import { RecordDrawer } from "../grid/RecordDrawer";
import { useDrawerRights } from "../grid/useDrawerRights";
import { useRecordPages } from "../grid/useRecordPages";
import type { ViewHostProps } from "../saved/types";
import "./gallery.css";
import { attachmentFields, coverOf, detailFields, titleFields } from "./model";
import { useCoverImage } from "./useCoverImage";

const NO_COVER = "__none";

export function GalleryView({ collection, view, onDraft }: ViewHostProps) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const name = collection.name;

  const readable = useMemo(() => allowedFields(user, name, "list"), [user, name]);
  const drawerRights = useDrawerRights(name);
  const titles = useMemo(() => titleFields(collection, readable), [collection, readable]);
  const covers = useMemo(() => attachmentFields(collection, readable), [collection, readable]);
  const titleNames = titles.map((f) => f.name);
  const coverNames = [...covers.map((f) => f.name), NO_COVER];
  const [titleName, setTitle] = useFieldChoice(view, "title", titleNames, view?.config.title_field, labelField(collection) ?? undefined);
  const [coverName, setCover] = useFieldChoice(view, "cover", coverNames, view?.config.cover_field);
  const title = titleName ?? null;
  const cover = coverName === NO_COVER ? null : (coverName ?? null);
  const savedCover = pick(coverNames, view?.config.cover_field);
  useViewDraft(
    view,
    onDraft,
    { title_field: title ?? undefined, cover_field: cover ?? undefined },
    { title_field: pick(titleNames, view?.config.title_field, labelField(collection)), cover_field: savedCover === NO_COVER ? undefined : savedCover },
  );
  const details = useMemo(() => detailFields(collection, title, cover, readable), [collection, title, cover, readable]);

  const query = useMemo(() => ({ filter: view?.config.filter, q: view?.config.q?.trim() || undefined }), [view]);
  const pages = useRecordPages(name, query);
  const [drawer, setDrawer] = useState<RecordData | null | undefined>(undefined);

  // More cards as the end of the list scrolls into view.
  const scroller = useRef<HTMLDivElement | null>(null);
  const sentinel = useRef<HTMLDivElement | null>(null);
  const { loadMore, hasMore } = pages;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore(), {
      root: scroller.current,
      rootMargin: "400px",
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [loadMore, hasMore, pages.rows.length]);

  const canCreate = can(user, name, "create");

  return (
    <Flex vertical gap={12} style={{ height: "100%", minHeight: 0 }}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text>{t("gallery.titleField")}</Typography.Text>
        <Select
          style={{ width: 180 }}
          aria-label={t("gallery.titleField")}
          value={title ?? undefined}
          placeholder="#"
          options={titles.map((f) => ({ value: f.name, label: fieldTitle(f) }))}
          onChange={setTitle}
        />
        <Typography.Text>{t("gallery.coverField")}</Typography.Text>
        <Select
          style={{ width: 180 }}
          aria-label={t("gallery.coverField")}
          value={cover ?? NO_COVER}
          options={[{ value: NO_COVER, label: t("gallery.noCover") }, ...covers.map((f) => ({ value: f.name, label: fieldTitle(f) }))]}
          onChange={setCover}
        />
        <Typography.Text type="secondary" data-testid="gallery-count">
          {pages.total !== undefined && t("gallery.count", { count: pages.total })}
        </Typography.Text>
        <span style={{ marginInlineStart: "auto" }}>
          <ViewExportButton collection={collection} filter={query.filter} q={query.q} />
        </span>
        {canCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer(null)}>
            {t("record.new")}
          </Button>
        )}
      </Flex>
      {pages.error !== null && <Alert type="error" showIcon title={pages.error instanceof Error ? pages.error.message : t("gallery.loadFailed")} />}
      <div className="gallery-scroll" ref={scroller}>
        {!pages.loading && pages.rows.length === 0 && pages.error === null ? (
          <Empty description={t("gallery.empty")} />
        ) : (
          <div className="gallery" data-testid="gallery">
            {pages.rows.map((record) => (
              <GalleryCard key={record.id} record={record} title={title} cover={cover} details={details} onOpen={setDrawer} />
            ))}
          </div>
        )}
        <div ref={sentinel} className="gallery-end">
          {pages.loading && <Spin />}
          {!pages.loading && pages.hasMore && (
            <Button type="link" onClick={pages.loadMore}>
              {t("kanban.more")}
            </Button>
          )}
        </div>
      </div>
      <RecordDrawer
        collection={collection}
        record={drawer}
        canWrite={(f) => drawerRights(f, drawer === null)}
        canDelete={can(user, name, "delete")}
        onClose={() => setDrawer(undefined)}
        onSaved={(record, created) => {
          setDrawer(undefined);
          if (created) pages.prepend(record);
          else pages.replace(record);
          void message.success(t(created ? "record.created" : "record.saved"));
        }}
        onDeleted={(id) => {
          setDrawer(undefined);
          pages.remove(id);
          void message.success(t("record.deleted"));
        }}
      />
    </Flex>
  );
}

interface CardProps {
  record: RecordData;
  title: string | null;
  cover: string | null;
  details: Field[];
  onOpen: (record: RecordData) => void;
}

const GalleryCard = memo(function GalleryCard({ record, title, cover, details, onOpen }: CardProps) {
  const t = useT();
  const image = useMemo(() => coverOf(record, cover), [record, cover]);
  const [ref, url, failed] = useCoverImage<HTMLDivElement>(image);
  const label = recordLabel(record, title);
  return (
    <Card
      size="small"
      hoverable
      className="gallery-card"
      data-testid={`gallery-card-${record.id}`}
      onClick={() => onOpen(record)}
      cover={
        cover ? (
          <div ref={ref} className="gallery-cover">
            <div className="gallery-cover-inner">
              {url ? (
                <img src={url} alt={image?.filename || label} draggable={false} />
              ) : (
                <FileImageOutlined className={image && !failed ? "gallery-cover-icon loading" : "gallery-cover-icon"} />
              )}
            </div>
          </div>
        ) : undefined
      }
    >
      <Typography.Text strong ellipsis className="gallery-title">
        {label}
      </Typography.Text>
      {details.map((f) =>
        isEmpty(record[f.name]) ? null : (
          <div key={f.name} className="cell gallery-detail">
            <Typography.Text type="secondary">{fieldTitle(f)}: </Typography.Text>
            {fieldType(f.type).render(record[f.name], f, t)}
          </div>
        ),
      )}
    </Card>
  );
});
