const local = 1;
const o = {model, tf, local, other};
const {local: renamed = 2} = o;
o
