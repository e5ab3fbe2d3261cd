-- CreateTable
CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "invitedById" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "acceptedById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE INDEX "Invitation_teamId_idx" ON "Invitation"("teamId");

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security, like every tenant table (see the row_level_security migration).
SELECT manifold_isolate_team_table('Invitation');

-- Accepting an invitation: the invitee is not a member yet, so the link's token (hashed) decides the team.
-- One row by exact hash; acceptance itself then runs inside that team (inTeam) and is single-use there.
CREATE FUNCTION manifold_invitation_by_token_hash(token_hash text)
RETURNS SETOF "Invitation"
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$ SELECT * FROM "Invitation" WHERE "tokenHash" = token_hash LIMIT 1 $$;
REVOKE ALL ON FUNCTION manifold_invitation_by_token_hash(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION manifold_invitation_by_token_hash(text) TO manifold_app;
