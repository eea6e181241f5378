import type {ReactNode} from 'react';
import Footer from '@theme-original/Footer';

/**
 * The theme's footer, and after it the last element of every page's markup: the page holds its
 * first drawing until the browser has read this far (`<link rel="expect">`, docusaurus.config.ts).
 */
export default function FooterThenMarkupEnd(): ReactNode {
  return (
    <>
      <Footer />
      <div id="page-markup-end" hidden />
    </>
  );
}
