/*
 * The host side of @forge/bridge, injected into every Custom UI iframe before the app bundle, as Forge's
 * global-bridge.js is (docs/platform.md §4). @forge/bridge calls `window.__bridge.callBridge(cmd, payload)`; data
 * commands go to the sandbox server under this frame's context token, UI commands go to the parent page.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var token = script && script.getAttribute('data-context');
  var endpoint = script && script.getAttribute('data-endpoint');
  var listeners = {};

  function toParent(cmd, payload) {
    window.parent.postMessage({ source: 'tollgate-sandbox-frame', token: token, cmd: cmd, payload: payload }, '*');
  }

  function server(cmd, payload) {
    return fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cmd: cmd, payload: payload === undefined ? null : payload }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          var error = new Error(body && body.message ? body.message : 'Bridge call ' + cmd + ' failed');
          throw error;
        }
        return body.result;
      });
    });
  }

  // As the real host does after view.theme.enable(): mark the colour mode and load the design-token CSS.
  function applyTheme(theme) {
    var html = document.documentElement;
    html.setAttribute('data-color-mode', theme.colorMode);
    html.setAttribute('data-theme', 'dark:dark light:light spacing:spacing typography:typography shape:shape');
    (theme.stylesheets || []).forEach(function (href) {
      if (document.querySelector('link[data-sandbox-theme="' + href + '"]')) return;
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      link.setAttribute('data-sandbox-theme', href);
      document.head.appendChild(link);
    });
  }

  // A small history for Custom UI routing (@forge/bridge's createHistory wraps what the host returns).
  function createHistory() {
    var subscribers = [];
    var history = {
      location: { pathname: '/', search: '', hash: '', state: null, key: 'default' },
      action: 'POP',
      listen: function (fn) {
        subscribers.push(fn);
        return function () {
          subscribers = subscribers.filter(function (s) {
            return s !== fn;
          });
        };
      },
      push: function (path, state) {
        move('PUSH', path, state);
      },
      replace: function (path, state) {
        move('REPLACE', path, state);
      },
      go: function () {},
      back: function () {},
      forward: function () {},
    };
    function move(action, path, state) {
      var url = new URL(typeof path === 'string' ? path : path.pathname || '/', 'http://frame');
      history.action = action;
      history.location = {
        pathname: url.pathname,
        search: url.search,
        hash: url.hash,
        state: state || null,
        key: String(Date.now()),
      };
      subscribers.forEach(function (fn) {
        fn(history.location, action);
      });
      toParent('navigateHistory', { path: url.pathname + url.search + url.hash });
    }
    return history;
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.source !== 'tollgate-sandbox-host') return;
    if (data.type === 'theme') applyTheme(data.theme);
    if (data.type === 'event')
      (listeners[data.name] || []).forEach(function (fn) {
        fn(data.payload);
      });
  });

  window.__bridge = {
    callBridge: function (cmd, payload) {
      switch (cmd) {
        case 'enableTheming':
          return server('enableTheming').then(function (theme) {
            applyTheme(theme);
            return undefined;
          });
        case 'createHistory':
          return Promise.resolve(createHistory());
        case 'showFlag':
        case 'navigate':
        case 'open':
        case 'refresh':
        case 'close':
        case 'closeFlag':
        case 'openModal':
        case 'resize':
          toParent(cmd, payload);
          return Promise.resolve(
            cmd === 'showFlag' ? { id: (payload && payload.id) || String(Date.now()) } : undefined,
          );
        case 'on': {
          // Each subscription is its own entry, so unsubscribe removes only it (as Forge's Subscription does).
          var entry = function (data) {
            return payload.callback(data);
          };
          (listeners[payload.event] = listeners[payload.event] || []).push(entry);
          return Promise.resolve({
            unsubscribe: function () {
              listeners[payload.event] = (listeners[payload.event] || []).filter(function (fn) {
                return fn !== entry;
              });
            },
          });
        }
        case 'emit':
          toParent('emit', { event: payload.event, payload: payload.payload });
          return Promise.resolve();
        case 'submit':
          return server('submit', payload).then(function (result) {
            toParent('submit', payload);
            return result;
          });
        default:
          return server(cmd, payload);
      }
    },
  };
})();
