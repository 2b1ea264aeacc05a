export { type DashboardApiOptions, dashboardApi } from './dashboard-api.js';
