import type {ReactNode} from 'react';
import useBaseUrl from '@docusaurus/useBaseUrl';
import styles from './styles.module.css';

/** Written by the remark plugin (remark-diagram.ts) from a ```mermaid block; attributes are strings. */
export interface DiagramProps {
  /** The block's `accTitle`. */
  title: string;
  /** The block's `accDescr`. */
  description: string;
  lightSrc: string;
  lightWidth: string;
  lightHeight: string;
  darkSrc: string;
  darkWidth: string;
  darkHeight: string;
}

/** "A title" + "What it shows." read as one text alternative, without a doubled full stop. */
const altText = (title: string, description: string) => `${/[.!?:]$/.test(title) ? title : `${title}.`} ${description}`;

/**
 * A Mermaid diagram rendered ahead of time, once per colour mode: CSS shows the one matching the
 * site's mode, the other is never loaded until the mode changes (lazy images that are not
 * displayed are not fetched). Width and height reserve the space before the image arrives.
 */
export default function Diagram(props: DiagramProps): ReactNode {
  const modes = [
    {mode: 'light', src: useBaseUrl(props.lightSrc), width: props.lightWidth, height: props.lightHeight},
    {mode: 'dark', src: useBaseUrl(props.darkSrc), width: props.darkWidth, height: props.darkHeight},
  ];
  const alt = altText(props.title, props.description);
  return (
    <figure className={styles.diagram} data-diagram>
      {modes.map(({mode, src, width, height}) => (
        <img key={mode} className={styles[mode]} data-mode={mode} src={src} width={width} height={height} alt={alt} loading="lazy" decoding="async" />
      ))}
      <figcaption className={styles.caption}>
        {modes.map(({mode, src}) => (
          <a key={mode} className={styles[mode]} href={src}>
            Open the diagram full size<span className="visually-hidden">: {props.title}</span>
          </a>
        ))}
      </figcaption>
    </figure>
  );
}
