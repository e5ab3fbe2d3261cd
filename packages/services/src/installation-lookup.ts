// The lookup most installation endpoints begin with: the team's installation by name, or a 404 problem.
import { notFound } from '@manifold/core';
import { getInstallationByName, type Database, type InstallationWithServer } from '@manifold/db';

export async function requireInstallation(db: Database, teamId: string, name: string): Promise<InstallationWithServer> {
  const installation = await getInstallationByName(db, teamId, name);
  if (!installation) throw notFound(`Server installation "${name}"`);
  return installation;
}
