/** English strings of the imports screens (added this round; older ones stay in en.ts). */

export const enImports = {
  "imports.byId": "{field} (by record id)",
  "imports.columnErrors": "{count} problem|{count} problems",
  "imports.columnOk": "OK",
  "imports.fields": "Fields",
  "imports.fileColumn": "Column in the file",
  "imports.ignore": "(ignore)",
  "imports.mappingHint": "Each column was matched to a field by its name or title. Change where a column goes and the file is checked again.",
  "imports.mappingTitle": "Columns",
  "imports.mapFirst": "Some columns could not be matched to the fields the import needs: choose where they go below and the file is checked again.",
  "imports.matchedBy": "{field}, matched by {key}",
  "imports.notImported": "Not imported",
  "imports.reasonIgnored": "Ignored",
  "imports.reasonNoMatch": "no field has this name or title",
  "imports.reasonReadOnly": "read-only field",
  "imports.status": "Last check",
  "imports.target": "Goes to",
  "imports.targetOf": "Where column {column} goes",
} as const satisfies Record<string, string>;
