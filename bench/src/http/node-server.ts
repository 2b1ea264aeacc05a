// Child: the bare node:http hello world, the baseline of every node:http case.
import { hello, serve } from './serve.js';

serve(hello);
