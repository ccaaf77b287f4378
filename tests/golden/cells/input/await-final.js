const h = await model.fit(xs, ys, {epochs: 2});
await h
