-- CreateTable
CREATE TABLE "OAuthToken" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "ciphertext" BYTEA,
    "nonce" BYTEA,
    "tag" BYTEA,
    "keyVersion" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3),
    "refreshedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OAuthToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OAuthAuthorization" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "installationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "stateHash" TEXT NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "nonce" BYTEA NOT NULL,
    "tag" BYTEA NOT NULL,
    "keyVersion" INTEGER NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthAuthorization_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OAuthToken_installationId_key" ON "OAuthToken"("installationId");

-- CreateIndex
CREATE INDEX "OAuthToken_teamId_idx" ON "OAuthToken"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "OAuthAuthorization_stateHash_key" ON "OAuthAuthorization"("stateHash");

-- CreateIndex
CREATE INDEX "OAuthAuthorization_teamId_idx" ON "OAuthAuthorization"("teamId");

-- AddForeignKey
ALTER TABLE "OAuthToken" ADD CONSTRAINT "OAuthToken_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "ServerInstallation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OAuthAuthorization" ADD CONSTRAINT "OAuthAuthorization_installationId_fkey" FOREIGN KEY ("installationId") REFERENCES "ServerInstallation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant tables: the same row-level security wall as every other.
SELECT manifold_isolate_team_table('OAuthToken');
SELECT manifold_isolate_team_table('OAuthAuthorization');
