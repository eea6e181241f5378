/**
 * The page template (siteConfig.ssrTemplate): Docusaurus's own, except for how the app's scripts
 * start. The theme loads them with `defer`, so they run as soon as the chapter's markup has been
 * parsed; on a long chapter that is often before the browser has painted it, and the reader then
 * waits for the main bundle (≈ 40 ms of script here, four times that on a phone) to see the page.
 * Here the scripts still download from the start (`preload`, at the low priority `defer` had), and
 * run once the browser reports the first contentful paint (after the next frame, in a browser
 * that does not report paints). A timer starts them anyway in a tab that paints nothing (a
 * background tab); with JavaScript off the page is the same as before.
 */
export const ssrTemplate = `<!DOCTYPE html>
<html <%~ it.htmlAttributes %>>
  <head>
    <meta charset="UTF-8">
    <meta name="generator" content="Docusaurus v<%= it.version %>">
    <% it.metaAttributes.forEach((metaAttribute) => { %>
      <%~ metaAttribute %>
    <% }); %>
    <%~ it.headTags %>
    <% it.stylesheets.forEach((stylesheet) => { %>
      <link rel="stylesheet" href="<%= it.baseUrl %><%= stylesheet %>" />
    <% }); %>
    <% it.scripts.forEach((script) => { %>
      <link rel="preload" as="script" fetchpriority="low" href="<%= it.baseUrl %><%= script %>" />
    <% }); %>
  </head>
  <body <%~ it.bodyAttributes %>>
    <%~ it.preBodyTags %>
    <div id="__docusaurus"><%~ it.appHtml %></div>
    <%~ it.postBodyTags %>
    <script>
      (function (sources) {
        var started = false;
        function start() {
          if (started) return;
          started = true;
          sources.forEach(function (source) {
            var script = document.createElement('script');
            script.src = source;
            script.async = false;
            document.body.appendChild(script);
          });
        }
        var paintTypes = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
        if (paintTypes.indexOf('paint') >= 0) {
          new PerformanceObserver(function (entries, observer) {
            if (entries.getEntriesByName('first-contentful-paint').length === 0) return;
            observer.disconnect();
            start();
          }).observe({type: 'paint', buffered: true});
        } else {
          requestAnimationFrame(function () { setTimeout(start, 0); });
        }
        setTimeout(start, 3000);
      })(<%~ JSON.stringify(it.scripts.map((script) => it.baseUrl + script)) %>);
    </script>
  </body>
</html>
`;
