// Draws the fedit run report from the JSON block (id fedit-report-data) with ECharts. Every number
// shown comes from that block; nothing is fetched.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('fedit-report-data').textContent);
  var main = document.getElementById('main');
  var charts = [];

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function fmt(x, digits) {
    if (x === null || x === undefined) return '–';
    return Number(x).toFixed(digits === undefined ? 4 : digits);
  }
  function int(x) { return x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US'); }
  function section(title, note) {
    var s = el('section');
    s.appendChild(el('h2', null, title));
    if (note) s.appendChild(el('p', {'class': 'note'}, note));
    main.appendChild(s);
    return s;
  }
  function absent(s, tables) {
    tables.forEach(function (t) {
      if (D.absent[t]) s.appendChild(el('div', {'class': 'absent'}, 'Not available: ' + D.absent[t] + '.'));
    });
  }
  function chart(s, option, height) {
    var div = el('div', {'class': 'chart'});
    if (height) div.style.height = height + 'px';
    s.appendChild(div);
    var c = echarts.init(div, null, {renderer: 'canvas'});
    option.animation = false;
    c.setOption(option);
    charts.push(c);
    return c;
  }
  function table(s, head, rows) {
    var t = el('table');
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) { row.appendChild(el('td', null, c)); });
      t.appendChild(row);
    });
    s.appendChild(t);
  }
  function preferredSplit() {
    if (D.best && D.best.split) return D.best.split;
    return D.eval && D.eval.splits.length ? D.eval.splits[0] : null;
  }
  // One section's failure (say, an unexpected value) shows a note there and leaves the others drawn.
  function guard(name, draw) {
    try {
      draw();
    } catch (e) {
      var note = el('div', {'class': 'absent'}, 'This section could not be drawn (' + name + '): ' + e);
      main.appendChild(note);
      if (window.console) console.error(e);
    }
  }
  var ARM_NAMES = {base: 'base model', local_only: 'local-only (mean)', centralized: 'centralized', fedit: 'FedIT (experiment)'};
  var ARM_COLORS = {base: '#6e7781', local_only: '#d4762c', centralized: '#1a7f37', fedit: '#8250df'};

  // ---- header and summary cards
  document.getElementById('title').textContent = 'fedit run report: ' + D.run;
  document.getElementById('subtitle').textContent = D.run_dir + ' · generated ' + D.generated_at;
  var top = section('Summary');
  var cards = el('div', {'class': 'cards'});
  function card(k, v, d) {
    var c = el('div', {'class': 'card'});
    c.appendChild(el('div', {'class': 'k'}, k));
    c.appendChild(el('div', {'class': 'v'}, v));
    if (d) c.appendChild(el('div', {'class': 'd'}, d));
    cards.appendChild(c);
  }
  if (D.best) {
    card('Best round', String(D.best.round), D.best.metric.replace('_', ' ') + ' ' + fmt(D.best.value) + ' · ' + D.best.basis);
  } else {
    card('Best round', '–', 'no round has a loss yet');
  }
  card('Rounds committed', D.phases ? String(D.phases.length) : '0');
  if (D.summary) {
    card('Clients', int(D.summary.clients || (D.clients ? D.clients.rows.length : null)), D.summary.method || '');
    card('Records', int(D.summary.records || D.summary.valid_records), D.summary.input || '');
  } else if (D.clients) {
    card('Clients', int(D.clients.rows.length));
  }
  if (D.clients) card('Category skew', fmt(D.clients.skew, 3), '0 = every client has the whole data\'s mix');
  if (D.phases && D.phases.length) {
    var last = D.phases[D.phases.length - 1];
    card('Last train loss', fmt(last.train_loss), 'round ' + last.round);
  }
  top.appendChild(cards);

  // ---- held-out loss per round, one chart per split, baselines as reference lines
  guard('held-out loss per round, one chart per split, baselines as reference lines', function () {
    var s1 = section('Held-out loss per round',
        'Token-weighted mean negative log-likelihood on the evaluation split (round 0 = the base model). ' +
        'Dashed: all-token loss. Horizontal lines: the experiment\'s other arms on the same split, when it ran.');
    absent(s1, ['metrics/eval_metrics', 'experiment/results']);
    if (D.eval) {
      D.eval.splits.forEach(function (split) {
        var rows = D.eval.overall.filter(function (r) { return r.split === split; });
        var marks = (D.baselines || []).filter(function (b) {
          return b.split === split && b.category === 'ALL' && b.arm !== 'fedit' && b.response_loss !== null;
        }).map(function (b, i) {
          var color = ARM_COLORS[b.arm] || '#6e7781';
          return {name: ARM_NAMES[b.arm] || b.arm, yAxis: b.response_loss, lineStyle: {color: color},
                  label: {color: color, formatter: (ARM_NAMES[b.arm] || b.arm) + ' ' + fmt(b.response_loss),
                          position: i % 2 ? 'insideStartTop' : 'insideEndTop'}};
        });
        var series = [{name: 'response loss', type: 'line', symbolSize: 7,
            data: rows.map(function (r) { return [r.round, r.response_loss]; }),
            markLine: marks.length ? {symbol: 'none', lineStyle: {type: 'solid', width: 1.5}, data: marks} : undefined,
            markPoint: D.best && D.best.split === split ? {data: [{name: 'best', coord: [D.best.round, D.best.value],
                value: 'best'}], symbolSize: 44} : undefined},
          {name: 'all-token loss', type: 'line', lineStyle: {type: 'dashed'}, symbolSize: 5,
            data: rows.map(function (r) { return [r.round, r.all_loss]; })}];
        chart(s1, {title: {text: split, left: 'center', textStyle: {fontSize: 14}},
          tooltip: {trigger: 'axis'}, legend: {top: 24},
          grid: {left: 60, right: 40, top: 64, bottom: 48},
          xAxis: {type: 'value', name: 'round', nameLocation: 'middle', nameGap: 26, minInterval: 1},
          yAxis: {type: 'value', name: 'loss (nats)', scale: true}, series: series});
      });
    } else if (D.phases && D.phases.length) {
      s1.appendChild(el('p', {'class': 'note'}, 'Until an evaluation runs, the training loss (example-weighted mean of the clients\' mean loss, with dropout) is the only curve:'));
      chart(s1, {tooltip: {trigger: 'axis'}, grid: {left: 60, right: 40, top: 30, bottom: 48},
        xAxis: {type: 'value', name: 'round', nameLocation: 'middle', nameGap: 26, minInterval: 1}, yAxis: {type: 'value', name: 'train loss', scale: true},
        series: [{name: 'train loss', type: 'line', data: D.phases.map(function (r) { return [r.round, r.train_loss]; })}]});
    }
  });

  // ---- per-category losses
  guard('per-category losses', function () {
    var s2 = section('Response loss per category',
        'Base model, best round and last round on the preferred split, with the experiment\'s arms when present. ' +
        'Scored = records with at least one response token left after truncation at cutoff_len.');
    absent(s2, ['metrics/eval_metrics']);
    var split = preferredSplit();
    if (D.eval && split) {
      var cat = D.eval.by_category.filter(function (r) { return r.split === split; });
      var rounds = cat.map(function (r) { return r.round; });
      var lastRound = rounds.length ? Math.max.apply(null, rounds) : null;
      var picks = [0, D.best && D.best.split === split ? D.best.round : null, lastRound]
          .filter(function (r, i, a) { return r !== null && a.indexOf(r) === i && rounds.indexOf(r) >= 0; });
      var cats = [];
      cat.forEach(function (r) { if (cats.indexOf(r.category) < 0) cats.push(r.category); });
      cats.sort();
      function valueOf(round, c) {
        var m = cat.filter(function (r) { return r.round === round && r.category === c; })[0];
        return m ? m.response_loss : null;
      }
      var series = picks.map(function (r) {
        return {name: r === 0 ? 'base (round 0)' : 'round ' + r, type: 'bar',
                data: cats.map(function (c) { return valueOf(r, c); })};
      });
      (D.baselines || []).filter(function (b) { return b.split === split && b.category !== 'ALL'; })
        .map(function (b) { return b.arm; }).filter(function (a, i, arr) { return arr.indexOf(a) === i; })
        .forEach(function (arm) {
          series.push({name: ARM_NAMES[arm] || arm, type: 'scatter', symbol: 'diamond', symbolSize: 12,
            itemStyle: {color: ARM_COLORS[arm] || '#6e7781'},
            data: cats.map(function (c) {
              var m = D.baselines.filter(function (b) { return b.arm === arm && b.split === split && b.category === c; })[0];
              return m ? m.response_loss : null;
            })});
        });
      chart(s2, {title: {text: split, left: 'center', textStyle: {fontSize: 14}}, tooltip: {trigger: 'axis'},
        legend: {top: 24}, grid: {left: 60, right: 20, top: 64, bottom: 80},
        xAxis: {type: 'category', data: cats, axisLabel: {rotate: 25}},
        yAxis: {type: 'value', name: 'response loss', scale: true}, series: series}, 400);
      var head = ['category', 'records', 'scored', 'response tokens'].concat(picks.map(function (r) { return 'loss r' + r; }));
      table(s2, head, cats.map(function (c) {
        var ref = cat.filter(function (r) { return r.category === c && r.round === picks[picks.length - 1]; })[0] || {};
        return [c, int(ref.examples), int(ref.scored_examples), int(ref.tokens)]
            .concat(picks.map(function (r) { return fmt(valueOf(r, c)); }));
      }));
    }
  });

  // ---- spread of client training losses
  guard('spread of client training losses', function () {
    var s3 = section('Client training losses per round',
        'Box: min, quartiles and max of the accepted clients\' mean training loss (with dropout); dots: each client; ' +
        'line: the round\'s example-weighted train loss.');
    absent(s3, ['metrics/client_metrics']);
    if (D.client_losses && D.client_losses.length) {
      var cl = D.client_losses;
      var labels = cl.map(function (r) { return String(r.round); });
      var dots = [];
      cl.forEach(function (r, i) { r.clients.forEach(function (c) { dots.push([i, c.mean_loss, c.client_id]); }); });
      chart(s3, {tooltip: {trigger: 'item'}, legend: {top: 0}, grid: {left: 60, right: 20, top: 40, bottom: 48},
        xAxis: {type: 'category', name: 'round', nameLocation: 'middle', nameGap: 26, data: labels}, yAxis: {type: 'value', name: 'loss', scale: true},
        series: [{name: 'clients (box)', type: 'boxplot', data: cl.map(function (r) { return r.box; })},
          {name: 'client', type: 'scatter', symbolSize: 6, itemStyle: {opacity: 0.6}, data: dots,
            tooltip: {formatter: function (p) { return 'client ' + p.data[2] + ': ' + fmt(p.data[1]); }}},
          {name: 'train loss', type: 'line', data: cl.map(function (r) { return r.train_loss; })}]});
    }
  });

  // ---- clients: sizes and category mix
  guard('clients: sizes and category mix', function () {
    var s4 = section('Clients: size and category mix',
        'Records per client stacked by category (data/client_stats); line: total-variation distance of the client\'s ' +
        'mix from the whole data\'s (0 = same mix, 1 = nothing in common).');
    absent(s4, ['data/client_stats']);
    if (D.clients && D.clients.rows.length) {
      var ids = D.clients.rows.map(function (r) { return r.client_id; });
      var series4 = D.clients.categories.map(function (c) {
        return {name: c, type: 'bar', stack: 'mix', data: D.clients.rows.map(function (r) { return r.counts[c] || 0; })};
      });
      series4.push({name: 'distance from global mix', type: 'line', yAxisIndex: 1, symbolSize: 3,
        data: D.clients.rows.map(function (r) { return r.tv; })});
      chart(s4, {tooltip: {trigger: 'axis'}, legend: {top: 0, type: 'scroll'}, grid: {left: 60, right: 60, top: 50, bottom: 60},
        xAxis: {type: 'category', data: ids, axisLabel: {rotate: 60, fontSize: 9}},
        yAxis: [{type: 'value', name: 'records'}, {type: 'value', name: 'TV distance', min: 0, max: 1}],
        series: series4}, 420);
    }
  });

  // ---- round wall time by phase
  guard('round wall time by phase', function () {
    var s5 = section('Round wall time by phase',
        'scheduling = the training job minus the slowest client (launch, loading, transfer and waiting); ' +
        'training = the slowest client; other = wall time the phases do not cover; evaluation = the held-out ' +
        'evaluation after the commit (not part of the round\'s wall time).');
    absent(s5, ['metrics/round_metrics']);
    if (D.phases && D.phases.length) {
      var names = {scheduling_ms: 'scheduling', training_ms: 'training', aggregation_ms: 'aggregation', commit_ms: 'commit',
                   other_ms: 'other', eval_ms: 'evaluation'};
      chart(s5, {tooltip: {trigger: 'axis'}, legend: {top: 0}, grid: {left: 60, right: 20, top: 40, bottom: 48},
        xAxis: {type: 'category', name: 'round', nameLocation: 'middle', nameGap: 26, data: D.phases.map(function (r) { return String(r.round); })},
        yAxis: {type: 'value', name: 'seconds'},
        series: Object.keys(names).map(function (k) {
          return {name: names[k], type: 'bar', stack: 'wall',
                  data: D.phases.map(function (r) { return r[k] === null || r[k] === undefined ? null : r[k] / 1000; }),
                  itemStyle: k === 'eval_ms' ? {color: '#8250df', opacity: 0.55} : undefined};
        })});
    }
  });

  // ---- judge scores, when a judge ran
  guard('judge scores, when a judge ran', function () {
    if (D.judge && D.judge.length) {
      var s6 = section('Judge scores', 'Mean 1-10 score of the answers the judge scored (metrics/judge_scores).');
      table(s6, ['round', 'split', 'judge model', 'scored', 'mean score', 'unparseable', 'errors'],
        D.judge.map(function (j) {
          return [String(j.round), j.split, j.judge_model, int(j.scored), fmt(j.mean_score, 2), int(j.unparseable), int(j.errors)];
        }));
    }
  });

  // ---- adapters evaluated outside the run's rounds
  guard('adapters evaluated outside the runs rounds', function () {
    if (D.eval && D.eval.other_adapters.length) {
      var s7 = section('Other adapters evaluated', 'evaluate --adapter DIR results (whole split).');
      table(s7, ['adapter', 'split', 'records', 'response loss', 'all-token loss', 'ROUGE-L'],
        D.eval.other_adapters.map(function (r) {
          return [r.adapter, r.split, int(r.examples), fmt(r.response_loss), fmt(r.all_loss), fmt(r.rouge_l)];
        }));
    }
  });

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
