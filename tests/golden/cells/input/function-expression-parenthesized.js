(function iife() { return 1; })()
