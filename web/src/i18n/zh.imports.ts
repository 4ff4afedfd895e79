/** 简体中文: the imports screens' new strings, typed against en.imports.ts. */

import type { enImports } from "./en.imports";

export const zhImports: Record<keyof typeof enImports, string> = {
  "imports.byId": "{field}（按记录 ID）",
  "imports.columnErrors": "{count} 个问题",
  "imports.columnOk": "正常",
  "imports.fields": "字段",
  "imports.fileColumn": "文件中的列",
  "imports.ignore": "（忽略）",
  "imports.mappingHint": "各列已按名称或标题自动对应到字段。更改某列的去向后，会重新检查文件。",
  "imports.mappingTitle": "列对应",
  "imports.mapFirst": "部分列无法对应到导入所需的字段：请在下方选择它们的去向，然后会重新检查文件。",
  "imports.matchedBy": "{field}，按{key}匹配",
  "imports.notImported": "不导入",
  "imports.reasonIgnored": "已忽略",
  "imports.reasonNoMatch": "没有同名或同标题的字段",
  "imports.reasonReadOnly": "只读字段",
  "imports.status": "上次检查",
  "imports.target": "导入到",
  "imports.targetOf": "列 {column} 导入到",
};
