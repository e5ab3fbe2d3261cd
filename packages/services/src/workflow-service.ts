// Creating and reading workflow definitions; saving validates against the team's installed servers.
import {
  createWorkflowBody,
  isAppError,
  notFound,
  parseOrThrow,
  updateWorkflowBody,
  validateDefinition,
  type FieldError,
  type InstallationCatalog,
} from '@manifold/core';
import {
  archiveWorkflow,
  createWorkflow,
  getWorkflowBySlug,
  listInstallations,
  listWorkflowVersions,
  listWorkflows,
  saveWorkflowVersion,
} from '@manifold/db';
import type { ActingContext, ServiceDeps } from './context';
import { authorize } from './authorize';
import { checkToolArguments } from './tool-arguments';

export function createWorkflowService({ db }: ServiceDeps) {
  async function installationCatalog(teamId: string): Promise<InstallationCatalog> {
    const installations = await listInstallations(db, teamId);
    const byName = new Map(
      installations.map((i) => [
        i.name,
        { tools: Array.isArray(i.toolsSnapshot) ? (i.toolsSnapshot as Array<{ name: string }>).map((t) => t.name) : null },
      ]),
    );
    const schemas = new Map(
      installations.flatMap((i) =>
        Array.isArray(i.toolsSnapshot)
          ? (i.toolsSnapshot as Array<{ name: string; inputSchema?: unknown }>).map(
              (t) => [`${i.name}\u0000${t.name}`, t.inputSchema] as const,
            )
          : [],
      ),
    );
    return {
      get: (name) => byName.get(name),
      checkArgs: (server, tool, args, path) => checkToolArguments(schemas.get(`${server}\u0000${tool}`), args, path),
    };
  }

  return {
    async create(ctx: ActingContext, raw: unknown) {
      authorize(ctx, 'workflows:write');
      const body = parseOrThrow(createWorkflowBody, raw);
      const definition = validateDefinition(body.definition, await installationCatalog(ctx.teamId));
      const workflow = await createWorkflow(db, ctx.teamId, ctx.actor, {
        slug: body.slug,
        name: body.name,
        description: body.description,
        definition,
      });
      return { ...workflow, definition };
    },

    async get(ctx: ActingContext, slug: string) {
      authorize(ctx, 'workflows:read');
      const workflow = await getWorkflowBySlug(db, ctx.teamId, slug);
      if (!workflow) throw notFound(`Workflow "${slug}"`);
      return workflow;
    },

    list: async (ctx: ActingContext) => {
      authorize(ctx, 'workflows:read');
      return listWorkflows(db, ctx.teamId);
    },

    /** Saves a new immutable version and makes it current; runs already started keep their version. */
    async update(ctx: ActingContext, slug: string, raw: unknown) {
      authorize(ctx, 'workflows:write');
      const body = parseOrThrow(updateWorkflowBody, raw);
      const definition = validateDefinition(body.definition, await installationCatalog(ctx.teamId));
      const saved = await saveWorkflowVersion(db, ctx.teamId, ctx.actor, slug, {
        name: body.name,
        description: body.description,
        definition,
      });
      if (!saved) throw notFound(`Workflow "${slug}"`);
      return saved;
    },

    /**
     * The editor's live check: every problem saving `definition` would report (schema, steps, expressions,
     * servers, tools, arguments), with paths under `definition.`; empty when it would save.
     */
    async check(ctx: ActingContext, definition: unknown): Promise<FieldError[]> {
      authorize(ctx, 'workflows:write');
      try {
        validateDefinition(definition, await installationCatalog(ctx.teamId));
        return [];
      } catch (error) {
        if (isAppError(error) && error.code === 'validation_failed') return error.options.fieldErrors ?? [];
        throw error;
      }
    },

    async versions(ctx: ActingContext, slug: string) {
      authorize(ctx, 'workflows:read');
      const found = await listWorkflowVersions(db, ctx.teamId, slug);
      if (!found) throw notFound(`Workflow "${slug}"`);
      return found;
    },

    async archive(ctx: ActingContext, slug: string) {
      authorize(ctx, 'workflows:write');
      if (!(await archiveWorkflow(db, ctx.teamId, ctx.actor, slug))) throw notFound(`Workflow "${slug}"`);
    },
  };
}
