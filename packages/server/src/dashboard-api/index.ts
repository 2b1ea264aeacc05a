export { type ActiveTarget, type DashboardApiOptions, dashboardApi } from './dashboard-api.js';
