// Placeholder: the notebook UI (src/ui) replaces this. It must not import tfjs.
export {};
