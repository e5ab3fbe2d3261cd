import { redirect } from 'next/navigation';
import { readSession } from '@/server/session';

export default async function Home() {
  redirect((await readSession()) ? '/runs' : '/sign-in');
}
