export const presentWorkflow = (w: {
  slug: string;
  name: string;
  description: string;
  currentVersion: number;
  createdAt: Date;
  updatedAt: Date;
  definition?: unknown;
}) => ({
  slug: w.slug,
  name: w.name,
  description: w.description,
  version: w.currentVersion,
  ...(w.definition !== undefined ? { definition: w.definition } : {}),
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});
