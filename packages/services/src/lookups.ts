// The lookups many endpoints begin with: a team's installation, or a catalog server it can see, else a 404 problem.
import { notFound } from '@manifold/core';
import { findServerForTeam, getInstallationByName, type Database, type InstallationWithServer } from '@manifold/db';

export async function requireInstallation(db: Database, teamId: string, name: string): Promise<InstallationWithServer> {
  const installation = await getInstallationByName(db, teamId, name);
  if (!installation) throw notFound(`Server installation "${name}"`);
  return installation;
}

/** The team's own server of that slug, else the public one. */
export async function requireCatalogServer(db: Database, teamId: string, slug: string) {
  const server = await findServerForTeam(db, teamId, slug);
  if (!server) throw notFound(`Catalog server "${slug}"`);
  return server;
}
