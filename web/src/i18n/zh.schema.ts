/** 简体中文: the schema screens' new strings, typed against en.schema.ts. */

import type { enSchema } from "./en.schema";

export const zhSchema: Record<keyof typeof enSchema, string> = {
  "schema.formula.insertField": "插入字段",
  "schema.formula.insertFunction": "插入函数",
  "schema.formula.checking": "正在检查…",
  "schema.formula.valid": "公式有效",
  "schema.formula.fn.round": "将数字四舍五入到指定小数位。",
  "schema.formula.fn.abs": "数字的绝对值。",
  "schema.formula.fn.min": "各值中最小的一个。",
  "schema.formula.fn.max": "各值中最大的一个。",
  "schema.formula.fn.len": "文本的字符数。",
  "schema.formula.fn.upper": "文本转为大写。",
  "schema.formula.fn.lower": "文本转为小写。",
  "schema.formula.fn.concat": "把各值连接成一段文本，空值跳过。",
  "schema.formula.fn.IF": "条件成立时取“then”，否则取“otherwise”。",
  "schema.formula.fn.coalesce": "第一个非空的值。",
  "schema.ext.asExtension": "业务类型：扩展另一个集合",
  "schema.ext.asExtensionHint": "它的记录是主集合中某一类型的记录；本集合只添加该类型需要的字段。",
  "schema.ext.master": "主集合",
  "schema.ext.discriminator": "主集合的类型字段",
  "schema.ext.value": "类型",
  "schema.ext.usedBy": "已被 {name} 使用",
  "schema.ext.noMasters": "没有集合含可区分业务类型的单选字段，请先在主集合中添加一个。",
  "schema.ext.extensions": "业务类型（扩展集合）",
  "schema.ext.none": "还没有业务类型：新建集合时可将其设为本集合的扩展。",
  "schema.ext.extendsInfo": "{master} 的扩展：{field} 为 {value} 的记录。",
};
