// The app's user type, registered once for every hook (checked against the built declarations).
export interface Member {
  id: string;
  email: string;
  plan: 'free' | 'pro';
}

declare module '@tokenlane/react-auth' {
  interface Register {
    user: Member;
  }
}
