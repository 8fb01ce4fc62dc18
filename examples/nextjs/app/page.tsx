import { apiUser } from '../lib/bff';
import { Profile } from './profile';

/** Server components calling the API at once: React renders them in parallel. */
const CALLS = 20;

async function ApiUser() {
  return <li data-testid="api-user">{await apiUser()}</li>;
}

/** The signed-in page: 20 server components each call the API with the session's token. */
export default function Home() {
  return (
    <main>
      <Profile />
      <ul>
        {Array.from({ length: CALLS }, (_, index) => (
          <ApiUser key={index} />
        ))}
      </ul>
    </main>
  );
}
