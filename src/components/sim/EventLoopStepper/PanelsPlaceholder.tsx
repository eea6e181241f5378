import type {ReactNode} from 'react';
import Panel, {panelTitles, type PanelArea} from './Panel';

/** The panels' frames, empty, in the space the loaded panels take: no layout shift. */
export default function PanelsPlaceholder(): ReactNode {
  return (
    <>
      {(Object.keys(panelTitles) as PanelArea[]).map((area) => (
        <Panel key={area} area={area} title={panelTitles[area]} />
      ))}
    </>
  );
}
