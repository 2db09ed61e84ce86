// "/" goes to the cluster page (AppShell sends a visitor without a session on to /signin).
import { redirect } from 'next/navigation';

export default function Home() {
  redirect('/cluster');
}
