// @vigil/server is planned and not built yet: see the package README for the issue that brings it.
export {};
