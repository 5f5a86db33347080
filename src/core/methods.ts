import type { Method, MethodId } from './method';
import type { LoadedUser } from './users';

/** The methods this configuration offers, in the registry's order. */
export class Methods {
  private readonly byId: ReadonlyMap<string, Method>;

  constructor(readonly all: readonly Method[]) {
    this.byId = new Map(all.map((method) => [method.id, method]));
  }

  /** The method of that id, when this configuration offers it (any string may come from a form). */
  get(id: unknown): Method | undefined {
    return typeof id === 'string' ? this.byId.get(id) : undefined;
  }

  /** Methods the user can prove themselves with now. */
  usable(user: LoadedUser): Method[] {
    return this.all.filter((method) => method.usableBy(user));
  }

  /** The user's preferred method when they can use it, else the first they can (email first). */
  preferred(user: LoadedUser): Method | undefined {
    const usable = this.usable(user);
    return usable.find((method) => method.id === user.settings.method) ?? usable[0];
  }

  /** Whether the user can use the method of that id. */
  usableBy(id: unknown, user: LoadedUser): id is MethodId {
    return this.get(id)?.usableBy(user) === true;
  }
}
