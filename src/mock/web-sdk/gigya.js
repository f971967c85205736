/* A stand-in for Gigya's Web SDK (gigya.js), served by gigya-socialize-contract's mock at /js/gigya.js.
 * NOT the real SDK: it talks only to the mock. It defines gigya.socialize.{setUID, notifyRegistration,
 * notifyLogin, login, addEventHandlers}, checks each call's params against the contract's Web SDK
 * schemas (embedded by the server as `config.methods`), and calls the mock's REST methods, so the state
 * is the one the site's server sees. The server appends `(config)` to this function expression.
 * The same script, loaded by the mock's landing page (config.landing), finishes a login: it hands the
 * result to the opener (popup) or forwards the browser to redirectURL (redirect). */
(function gigyaMock(config) {
  'use strict';
  var TAG = '[gigya.js mock]';
  var POPUP_DEADLINE_MS = 10 * 60 * 1000;
  var CALL_DEADLINE_MS = 30 * 1000;
  var BODY_LIMIT = 1024 * 1024;
  // The fields the seed lists for redirectURL, with the deprecated UIDSig/timestamp pair filled from
  // UIDSignature/signatureTimestamp (the mock's choice: one signature, both names).
  var REDIRECT_FIELDS = ['UID', 'UIDSig', 'timestamp', 'loginProvider', 'loginProviderUID', 'nickname', 'photoURL',
    'thumbnailURL', 'firstName', 'lastName', 'gender', 'birthDay', 'birthMonth', 'birthYear', 'email', 'country',
    'state', 'city', 'zip', 'profileURL', 'provider', 'UIDSignature', 'signatureTimestamp', 'isNewUser'];
  var USER_FIELDS = REDIRECT_FIELDS.slice(3, 21).concat(['UIDSignature', 'signatureTimestamp']);
  var NUMBER_FIELDS = { birthDay: 1, birthMonth: 1, birthYear: 1 };

  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function isPlain(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function randomHex(bytes) {
    var a = new Uint8Array(bytes);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }
  function query(fields) {
    var q = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { if (fields[k] !== undefined) q.set(k, String(fields[k])); });
    return q.toString();
  }
  function readResult(href) {
    var url = new URL(href);
    var out = {};
    [url.search.slice(1), url.hash.slice(1)].forEach(function (part) {
      new URLSearchParams(part).forEach(function (v, k) { out[k] = v; });
    });
    return out;
  }

  // ---- the landing page: the end of a login, on the mock's own origin --------------------------------
  function forward(to, method, result) {
    if (!/^https?:\/\//i.test(to)) throw new Error(TAG + ' redirectURL must be an absolute http(s) URL');
    var fields = {};
    REDIRECT_FIELDS.forEach(function (k) {
      var v = k === 'UIDSig' ? result.UIDSignature : k === 'timestamp' ? result.signatureTimestamp : result[k];
      if (v !== undefined && v !== '') fields[k] = v;
    });
    if (method !== 'post') {
      location.assign(to + (to.indexOf('?') === -1 ? '?' : '&') + query(fields));
      return;
    }
    var form = document.createElement('form');
    form.method = 'post';
    form.action = to;
    Object.keys(fields).forEach(function (k) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = k;
      input.value = String(fields[k]);
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  function land() {
    var result = readResult(location.href);
    var flow = result.mock_flow;
    var note = document.getElementById('status');
    if (flow === 'redirect') {
      if (result.errorCode && result.errorCode !== '0') {
        if (note) note.textContent = 'Login failed: ' + result.errorCode + ' ' + (result.errorMessage || '');
        return;
      }
      forward(result.mock_to, result.mock_method, result);
      return;
    }
    var message = { gigyaMock: 'login', nonce: result.mock_nonce, result: result };
    // The opener closes this window once it has the message: closing it here could let the opener see
    // the popup closed before the message arrives (another process), and report a cancel.
    if (window.opener && result.mock_origin) window.opener.postMessage(message, result.mock_origin);
    if (note) note.textContent = 'Login finished; you can close this window.';
  }

  if (config.landing) {
    land();
    return;
  }

  // ---- refuse to run anywhere but a development host ---------------------------------------------------
  var host = location.hostname.toLowerCase();
  var allowed = host === 'localhost' || /\.(localhost|test)$/.test(host) || /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]' || host === '::1' || (config.allowHost !== null && host === config.allowHost);
  if (!allowed) {
    console.error(TAG + ' refuses to run on ' + host + ': this is the gigya-socialize-contract MOCK of the Web SDK, ' +
      'meant for loopback, .localhost and .test hosts. Load the real gigya.js in production; to run the mock here ' +
      'anyway, add mockAllowHost=' + host + ' to its <script src>.');
    return;
  }
  var script = document.currentScript;
  var base = new URL(script && script.src ? script.src : location.href).origin;
  console.info('%c' + TAG + ' This page uses a MOCK of Gigya\'s Web SDK, talking to ' + base +
    ' (API key ' + config.apiKey + '), not Gigya.', 'color:#b00;font-weight:bold');

  // ---- params checked against the contract's Web SDK schemas ------------------------------------------
  function typeOk(type, v) {
    switch (type) {
      case 'string': return typeof v === 'string';
      case 'boolean': return typeof v === 'boolean';
      case 'integer': return typeof v === 'number' && Number.isInteger(v);
      case 'number': return typeof v === 'number' && Number.isFinite(v);
      case 'object': return isPlain(v);
      case 'array': return Array.isArray(v);
      case 'null': return v === null;
      default: return false;
    }
  }
  function missing(names) { return { code: 400002, details: 'Missing required parameter: ' + names.join(' or ') }; }
  function wrong(path, what) { return { code: 400006, details: path + ': ' + what }; }

  // The first problem of `v` against schema `s`, or null. Only the keywords the server let through.
  function resolve(s) {
    while (s.$ref !== undefined) {
      var target = config.defs[s.$ref];
      s = Object.assign({}, target, s);
      s.$ref = target.$ref;
    }
    return s;
  }

  function check(schema, v, path) {
    var s = resolve(schema);
    var t = s['x-web-sdk-type'] || s.type;
    var at = path || 'params';
    if (t === 'function') return typeof v === 'function' ? null : wrong(at, 'must be a function');
    if (t !== undefined && !(Array.isArray(t) ? t : [t]).some(function (x) { return typeOk(x, v); })) {
      return wrong(at, 'must be ' + (Array.isArray(t) ? t.join(' or ') : t === 'object' ? 'an object' : 'a ' + t));
    }
    if (s.const !== undefined && v !== s.const) return wrong(at, 'must be ' + JSON.stringify(s.const));
    if (s.enum && s.enum.indexOf(v) === -1) return wrong(at, 'must be one of ' + s.enum.join(', '));
    if (typeof v === 'string') {
      var length = Array.from(v).length;
      if (s.minLength !== undefined && length < s.minLength) return wrong(at, 'must be at least ' + s.minLength + ' characters');
      if (s.maxLength !== undefined && length > s.maxLength) return wrong(at, 'must be at most ' + s.maxLength + ' characters');
      if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) return wrong(at, 'is not in the expected form (' + s.pattern + ')');
    }
    if (typeof v === 'number') {
      if (s.minimum !== undefined && v < s.minimum) return wrong(at, 'must be at least ' + s.minimum);
      if (s.maximum !== undefined && v > s.maximum) return wrong(at, 'must be at most ' + s.maximum);
    }
    if (Array.isArray(v)) {
      if (s.minItems !== undefined && v.length < s.minItems) return wrong(at, 'must have at least ' + s.minItems + ' items');
      if (s.maxItems !== undefined && v.length > s.maxItems) return wrong(at, 'must have at most ' + s.maxItems + ' items');
      for (var i = 0; s.items && i < v.length; i++) {
        var itemProblem = check(s.items, v[i], at + '.' + i);
        if (itemProblem) return itemProblem;
      }
    }
    return (isPlain(v) && checkObject(s, v, path)) || checkCombined(s, v, path);
  }

  function present(v, k) { return own(v, k) && v[k] !== undefined; }

  function checkObject(s, v, path) {
    var prefix = path ? path + '.' : '';
    var keys = Object.keys(v).filter(function (k) { return v[k] !== undefined; });
    if (s.minProperties !== undefined && keys.length < s.minProperties) return wrong(path || 'params', 'must have at least ' + s.minProperties + ' members');
    if (s.maxProperties !== undefined && keys.length > s.maxProperties) return wrong(path || 'params', 'must have at most ' + s.maxProperties + ' members');
    var need = (s.required || []).filter(function (k) { return !present(v, k); });
    if (need.length) return missing([prefix + need[0]]);
    var props = s.properties || {};
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      var sub = own(props, k) ? props[k] : s.additionalProperties;
      if (sub === false) {
        return { code: 403007, details: prefix + k + ': not a parameter of ' + (path || currentMethod) + '; the known ones are ' + Object.keys(props).join(', ') };
      }
      var problem = sub && sub !== true ? check(sub, v[k], prefix + k) : null;
      if (problem) return problem;
    }
    var dependent = s.dependentRequired || {};
    for (var d in dependent) {
      if (!present(v, d)) continue;
      var lacking = dependent[d].filter(function (k) { return !present(v, k); });
      if (lacking.length) return missing([prefix + lacking[0]]);
    }
    var schemas = s.dependentSchemas || {};
    for (var e in schemas) {
      var p = present(v, e) ? check(schemas[e], v, path) : null;
      if (p) return p;
    }
    return null;
  }

  // oneOf/anyOf: when no case holds, say what the likeliest one lacks; names of deprecated members are
  // left out of "missing … or …", as the page should not be told to use them.
  function checkCombined(s, v, path) {
    var all = s.allOf || [];
    for (var i = 0; i < all.length; i++) {
      var p = check(all[i], v, path);
      if (p) return p;
    }
    if (s.not && !check(s.not, v, path)) return wrong(path || 'params', 'has a combination of members that is not allowed');
    var cases = s.oneOf || s.anyOf;
    if (!cases) return null;
    var problems = cases.map(function (c) { return check(c, v, path); });
    var holding = problems.filter(function (p) { return p === null; }).length;
    if (s.oneOf && holding > 1) return wrong(path || 'params', 'matches more than one of its allowed forms');
    if (holding > 0) return null;
    var absent = problems.filter(function (p) { return p.code === 400002; });
    var first = problems[0];
    var samePlace = problems.every(function (p) { return p.code === 400006 && p.details.split(': ')[0] === first.details.split(': ')[0]; });
    if (samePlace) return wrong(first.details.split(': ')[0], problems.map(function (p) { return p.details.slice(p.details.indexOf(': ') + 2); }).join('; or '));
    if (absent.length === 0) return first;
    var names = absent.map(function (p) { return p.details.replace('Missing required parameter: ', ''); })
      .filter(function (n) { var m = (s.properties || {})[n] || (currentSchema.properties || {})[n]; return !(m && m.deprecated); });
    return absent.length === problems.length && names.length ? missing(names) : absent[0];
  }

  // ---- calls -------------------------------------------------------------------------------------------
  var currentMethod = '';
  var currentSchema = {};
  var handlers = { onLogin: [] };
  var storeKey = 'gigya-mock-session:' + config.apiKey;

  function session(value) {
    try {
      if (value === undefined) return JSON.parse(sessionStorage.getItem(storeKey) || 'null');
      sessionStorage.setItem(storeKey, JSON.stringify(value));
    } catch (_ignored) { /* storage off: the session lasts as long as the page */ }
    return value;
  }
  var memorySession = session();
  function currentSession() { return memorySession; }
  function remember(UID, token) { memorySession = session({ UID: UID, token: token }); }

  function errorResponse(method, code, details, context) {
    return {
      errorCode: code,
      errorMessage: config.messages[code] || 'Error',
      errorDetails: details,
      statusCode: Math.floor(code / 1000),
      callId: randomHex(16),
      operation: method,
      context: context === undefined ? null : context,
    };
  }

  // Calls back later, as the SDK does, and never lets the page's own exception stop the SDK.
  function deliver(fn, value) {
    if (typeof fn !== 'function') return;
    try { fn(value); } catch (error) { setTimeout(function () { throw error; }); }
  }
  function fire(event) { handlers.onLogin.forEach(function (h) { deliver(h, event); }); }

  function validate(method, params) {
    currentMethod = method;
    currentSchema = config.methods[method].schema;
    if (params === undefined) params = {};
    if (!isPlain(params)) return { problem: wrong('params', 'must be an object'), params: {} };
    var problem = check(currentSchema, params, '');
    Object.keys(params).forEach(function (k) {
      var m = currentSchema.properties[k];
      if (!problem && m && m.deprecated && params[k] !== undefined) {
        console.warn(TAG + ' ' + method + ': ' + k + ' is deprecated; use ' + m.deprecated + '.');
      }
    });
    return { problem: problem, params: params };
  }

  // The params as the REST method's fields, named by each member's x-rest-parameter.
  function restFields(method, params) {
    var fields = { apiKey: config.apiKey, format: 'json' };
    var rest = config.methods[method].rest;
    Object.keys(params).forEach(function (k) {
      var v = params[k];
      var target = rest[k];
      if (v === undefined || !target) return;
      var mapped = target[1] ? target[1][String(v)] : v;
      fields[target[0]] = isPlain(mapped) || Array.isArray(mapped) ? JSON.stringify(mapped) : String(mapped);
    });
    return fields;
  }

  function post(method, fields) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, CALL_DEADLINE_MS);
    return fetch(base + '/' + method, { method: 'POST', body: new URLSearchParams(fields), signal: controller.signal })
      .then(function (res) { return res.text(); })
      .then(function (text) {
        if (text.length > BODY_LIMIT) throw new Error('answer larger than ' + BODY_LIMIT + ' characters');
        return JSON.parse(text);
      })
      .catch(function (error) {
        return controller.signal.aborted
          ? errorResponse(method, 504001, 'mock: no answer within ' + CALL_DEADLINE_MS + ' ms')
          : errorResponse(method, 500001, 'mock: the call to ' + base + ' failed (' + error.message + ')');
      })
      .finally(function () { clearTimeout(timer); });
  }

  function restCall(method, params, options) {
    var checked = validate(method, params);
    var p = checked.params;
    var context = p.context === undefined ? null : p.context;
    if (checked.problem) {
      setTimeout(function () { deliver(p.callback, errorResponse(method, checked.problem.code, checked.problem.details, context)); });
      return;
    }
    var fields = restFields(method, p);
    var s = currentSession();
    if (s && options.withSession) {
      // The user's session goes with the call, as the real SDK's session does; the mock finds the
      // account by it (a UIDSig checks the siteUID, it does not name the user).
      fields.oauth_token = s.token;
    }
    post(method, fields).then(function (body) {
      var response = Object.assign({}, body, { operation: method, context: context });
      ['cookieName', 'cookieValue', 'cookieDomain', 'cookiePath', 'sessionInfo'].forEach(function (k) { delete response[k]; });
      if (body.errorCode === 0 && options.after) options.after(response, body);
      deliver(p.callback, response);
    });
  }

  function toUser(result) {
    var user = { UID: result.UID };
    USER_FIELDS.forEach(function (k) {
      if (result[k] !== undefined && result[k] !== '') user[k] = NUMBER_FIELDS[k] ? Number(result[k]) : result[k];
    });
    return user;
  }

  function afterNotifyLogin(response, body) {
    remember(body.UID, body.cookieValue || (body.sessionInfo && body.sessionInfo.sessionToken));
    if (!response.user) response.user = { UID: body.UID, UIDSignature: body.UIDSignature, signatureTimestamp: body.signatureTimestamp, isSiteUID: true };
    // The seed: onLogin (provider 'site') fires before notifyLogin's callback.
    fire({ eventName: 'login', provider: 'site', UID: body.UID, UIDSignature: body.UIDSignature, signatureTimestamp: body.signatureTimestamp, user: response.user, context: response.context });
  }

  function loginUrl(p, landing) {
    var fields = restFields('socialize.login', p);
    delete fields.apiKey;
    delete fields.format;
    fields.client_id = config.apiKey;
    fields.response_type = fields.response_type || 'token';
    fields.redirect_uri = landing;
    fields.mock_identity = config.identity;
    return base + '/socialize.login?' + query(fields);
  }

  function loginDone(p, result, context) {
    if (result.errorCode !== undefined && result.errorCode !== '0') {
      var code = Number(result.errorCode) || 500001;
      return deliver(p.callback, errorResponse('socialize.login', code, result.errorDetails || result.errorMessage, context));
    }
    var user = toUser(result);
    var response = {
      errorCode: 0, callId: randomHex(16), operation: 'socialize.login', context: context,
      UID: result.UID, UIDSignature: result.UIDSignature, signatureTimestamp: result.signatureTimestamp,
      provider: result.provider || p.provider, user: user,
    };
    if (result.isNewUser === 'true') response.isNewUser = true;
    if (result.code !== undefined) response.authCode = result.code;
    remember(result.UID, result.access_token);
    var event = { eventName: 'login', provider: response.provider, UID: response.UID, UIDSignature: response.UIDSignature,
      signatureTimestamp: response.signatureTimestamp, user: user, context: context };
    if (response.isNewUser) event.isNewUser = true;
    fire(event);
    deliver(p.callback, response);
    if (p.redirectURL) forward(p.redirectURL, p.redirectMethod, result);
  }

  // Waits for the landing page's message, the popup being closed, or the deadline, whichever is first.
  function awaitPopup(popup, nonce, p, context) {
    var started = Date.now();
    var finished = false;
    function finish(result) {
      if (finished) return;
      finished = true;
      window.removeEventListener('message', onMessage);
      clearInterval(poll);
      loginDone(p, result, context);
    }
    function onMessage(event) {
      var data = event.data;
      if (event.origin !== base || !isPlain(data) || data.gigyaMock !== 'login' || data.nonce !== nonce) return;
      popup.close();
      finish(data.result);
    }
    var poll = setInterval(function () {
      if (popup.closed) finish({ errorCode: '200001', errorDetails: 'popup: closed before the login finished' });
      else if (Date.now() - started > POPUP_DEADLINE_MS) {
        popup.close();
        finish({ errorCode: '504001', errorDetails: 'popup: the login did not finish within ' + POPUP_DEADLINE_MS / 60000 + ' minutes' });
      }
    }, 200);
    window.addEventListener('message', onMessage);
  }

  function login(params) {
    var checked = validate('socialize.login', params);
    var p = checked.params;
    var redirect = p.authFlow === 'redirect';
    // The seed: the context object is not passed when authFlow is 'redirect'.
    var context = p.context === undefined || redirect ? null : p.context;
    if (checked.problem) {
      setTimeout(function () { deliver(p.callback, errorResponse('socialize.login', checked.problem.code, checked.problem.details, context)); });
      return;
    }
    var nonce = randomHex(16);
    var landing = base + '/js/gigya-login-done.html?' + query(redirect
      ? { mock_flow: 'redirect', mock_to: p.redirectURL, mock_method: p.redirectMethod || 'get' }
      : { mock_flow: 'popup', mock_nonce: nonce, mock_origin: location.origin });
    var url = loginUrl(p, landing);
    if (redirect) {
      location.assign(url);
      return;
    }
    var popup = window.open(url, 'gigya_mock_login', 'popup,width=520,height=640');
    if (!popup) {
      setTimeout(function () { loginDone(p, { errorCode: '200001', errorDetails: 'popup: the browser blocked the login popup; call login from a click handler or allow popups' }, context); });
      return;
    }
    awaitPopup(popup, nonce, p, context);
  }

  function addEventHandlers(params) {
    if (!isPlain(params)) throw new TypeError(TAG + ' addEventHandlers: params must be an object');
    Object.keys(params).forEach(function (k) {
      if (k === 'onLogin' && typeof params[k] === 'function') handlers.onLogin.push(params[k]);
      else if (k === 'onLogin') throw new TypeError(TAG + ' addEventHandlers: onLogin must be a function');
      else if (k !== 'context' && k !== 'callback') console.warn(TAG + ' addEventHandlers: ' + k + ' is not supported by the mock (only onLogin)');
    });
  }

  window.gigya = {
    isMock: true,
    socialize: {
      setUID: function (params) { restCall('socialize.setUID', params, { withSession: true }); },
      notifyRegistration: function (params) { restCall('socialize.notifyRegistration', params, { withSession: true }); },
      notifyLogin: function (params) { restCall('socialize.notifyLogin', params, { withSession: false, after: afterNotifyLogin }); },
      login: login,
      addEventHandlers: addEventHandlers,
    },
  };
  setTimeout(function () {
    if (typeof window.onGigyaServiceReady === 'function') window.onGigyaServiceReady('socialize');
  });
})
