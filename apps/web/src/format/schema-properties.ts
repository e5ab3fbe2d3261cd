// Flattens a tool's JSON Schema (inputSchema) into rows a person can read: name, type, required, notes.

export interface SchemaProperty {
  /** `message`, `options.retries`, `items[].id` */
  path: string;
  depth: number;
  type: string;
  required: boolean;
  description?: string;
  enumValues?: string[];
  defaultValue?: string;
}

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A short type label: `string`, `number | null`, `string[]`, `"a" | "b"`, `object`. */
export function typeLabel(schema: unknown): string {
  if (!isSchema(schema)) return 'any';
  if (Array.isArray(schema.enum)) return 'enum';
  if ('const' in schema) return JSON.stringify(schema.const);
  const variants = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(variants)) return [...new Set(variants.map(typeLabel))].join(' | ');
  const type = schema.type;
  if (Array.isArray(type)) return type.map((t) => (t === 'array' ? `${typeLabel(schema.items)}[]` : String(t))).join(' | ');
  if (type === 'array') return `${typeLabel(schema.items)}[]`;
  if (typeof type === 'string') return type;
  if (isSchema(schema.properties)) return 'object';
  return 'any';
}

export function describeSchema(schema: unknown, maxDepth = 3): SchemaProperty[] {
  const rows: SchemaProperty[] = [];
  const walk = (node: unknown, prefix: string, depth: number) => {
    if (!isSchema(node) || depth > maxDepth) return;
    const target = node.type === 'array' && isSchema(node.items) ? node.items : node;
    const properties = target.properties;
    if (!isSchema(properties)) return;
    const required = new Set(Array.isArray(target.required) ? target.required.map(String) : []);
    const base = node === target ? prefix : `${prefix}[]`;
    for (const [name, child] of Object.entries(properties)) {
      const path = base ? `${base}.${name}` : name;
      const childSchema = isSchema(child) ? child : {};
      rows.push({
        path,
        depth,
        type: typeLabel(childSchema),
        required: required.has(name),
        ...(typeof childSchema.description === 'string' ? { description: childSchema.description } : {}),
        ...(Array.isArray(childSchema.enum) ? { enumValues: childSchema.enum.map((v) => JSON.stringify(v)) } : {}),
        ...('default' in childSchema ? { defaultValue: JSON.stringify(childSchema.default) } : {}),
      });
      walk(childSchema, path, depth + 1);
    }
  };
  walk(schema, '', 0);
  return rows;
}
