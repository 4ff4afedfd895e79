/** English strings of the schema screens (added this round; older ones stay in en.ts). */

export const enSchema = {
  "schema.formula.insertField": "Insert a field",
  "schema.formula.insertFunction": "Insert a function",
  "schema.formula.checking": "Checking…",
  "schema.formula.valid": "Valid formula",
  "schema.formula.fn.round": "Rounds a number to the given decimal places.",
  "schema.formula.fn.abs": "The number without its sign.",
  "schema.formula.fn.min": "The smallest of the values.",
  "schema.formula.fn.max": "The largest of the values.",
  "schema.formula.fn.len": "The number of characters in a text.",
  "schema.formula.fn.upper": "The text in upper case.",
  "schema.formula.fn.lower": "The text in lower case.",
  "schema.formula.fn.concat": "Joins values into one text; empty values are skipped.",
  "schema.formula.fn.IF": "“then” when the condition holds, else “otherwise”.",
  "schema.formula.fn.coalesce": "The first value that is not empty.",
  "schema.ext.asExtension": "Business type: extend another collection",
  "schema.ext.asExtensionHint":
    "Its records are the master's records of one type; this collection adds the fields only that type needs.",
  "schema.ext.master": "Master collection",
  "schema.ext.discriminator": "Type field of the master",
  "schema.ext.value": "Type",
  "schema.ext.usedBy": "used by {name}",
  "schema.ext.noMasters": "No collection has a single select field to tell business types apart. Add one to the master first.",
  "schema.ext.extensions": "Business types (extensions)",
  "schema.ext.none": "No business types yet: create a new collection as an extension of this one.",
  "schema.ext.extendsInfo": "Extension of {master}: records whose {field} is {value}.",
} as const satisfies Record<string, string>;
