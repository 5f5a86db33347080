// The user table the README's quick start imports ("your user table"), for the test that runs it.
interface User {
  id: string;
  email: string;
  accountId: string;
}

const USERS: (User & { password: string })[] = [
  { id: 'u-ann', email: 'ann@example.com', accountId: 'acme', password: 'correct horse battery staple' },
];

export async function findUser(id: string): Promise<User | undefined> {
  return USERS.find((user) => user.id === id);
}

export async function checkPassword(email: string, password: string): Promise<User | undefined> {
  return USERS.find((user) => user.email === email && user.password === password);
}
