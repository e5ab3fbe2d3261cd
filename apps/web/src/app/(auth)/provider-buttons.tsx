// "Continue with GitHub / Google": rendered only for the providers configured in the environment.
import { signIn } from '@/auth';
import { Button } from '@/components/ui/button';
import { oauthProviders } from '@/server/config';

export function ProviderButtons({ callbackUrl }: { callbackUrl: string }) {
  const providers = oauthProviders();
  if (providers.length === 0) return null;
  return (
    <div className="mt-4 grid gap-2 border-t border-zinc-100 pt-4" data-testid="oauth-providers">
      {providers.map((p) => (
        <form
          key={p.id}
          action={async () => {
            'use server';
            await signIn(p.id, { redirectTo: callbackUrl || '/runs' });
          }}
        >
          <Button type="submit" variant="secondary" className="w-full" data-testid={`oauth-${p.id}`}>
            Continue with {p.name}
          </Button>
        </form>
      ))}
    </div>
  );
}
