// lint-as: components/overview/__boundaries_fixture__.tsx
export const load = () => import('@/server/auth/sessions');
