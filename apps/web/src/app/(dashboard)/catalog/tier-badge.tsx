// The quality tier of a catalog server as a coloured badge.
import type { Tier } from '@manifold/core';
import { Badge, type BadgeTone } from '@/components/ui/badge';

const TONE: Record<Tier, BadgeTone> = { unverified: 'neutral', community: 'blue', verified: 'indigo', certified: 'green' };

export function TierBadge({ tier }: { tier: Tier }) {
  return (
    <Badge tone={TONE[tier]} data-testid="tier-badge" data-tier={tier}>
      {tier}
    </Badge>
  );
}
