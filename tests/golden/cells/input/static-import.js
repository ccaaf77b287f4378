import * as d3 from 'd3';
d3
