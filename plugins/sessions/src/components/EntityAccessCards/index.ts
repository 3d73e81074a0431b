export { EntityAccessHeldCard } from './EntityAccessHeldCard';
export { EntityTeamAccessCard } from './EntityTeamAccessCard';
