/** the usual extension of each material format (see MATERIAL_CONTENT_TYPES) */
const EXTENSIONS: Readonly<Record<string, string>> = { 'application/pdf': '.pdf', 'image/jpeg': '.jpg', 'image/png': '.png', 'application/ofd': '.ofd' };

/**
 * The file name a material is saved under: its name ("身份证明"), with the extension of its type
 * when the name has none, so the saved file opens in the right program. Pure: the portal uses it too.
 */
export function materialFileName(material: { readonly name: string; readonly contentType: string }): string {
  const extension = EXTENSIONS[material.contentType];
  return extension && !/\.[A-Za-z0-9]{1,5}$/.test(material.name) ? `${material.name}${extension}` : material.name;
}
