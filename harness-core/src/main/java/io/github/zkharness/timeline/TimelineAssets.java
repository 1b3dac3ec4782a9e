package io.github.zkharness.timeline;

/**
 * What every {@link Timeline} page carries inline, the same on each: its stylesheet and the script that shows what the
 * operation under the pointer is. {@link TimelineHtml} draws the page around them.
 */
final class TimelineAssets {

    private TimelineAssets() {}

    /** The page's stylesheet: lanes, bands, bars, roles, versions, the legend's swatches and the hover box. */
    static final String CSS = String.join(
            "",
            "body{font-family:sans-serif;margin:16px;color:#222}",
            "h1{font-size:18px;margin:0 0 4px}h2{font-size:14px;margin:16px 0 4px}",
            ".meta{color:#666;margin:0 0 8px;font-size:12px}",
            "table.results{border-collapse:collapse;font-size:12px;margin-bottom:8px;max-width:1380px}",
            "table.results td,table.results th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}",
            "tr.valid td:first-child{color:#1b7f3a;font-weight:bold}tr.invalid td:first-child{color:#c62828;",
            "font-weight:bold}tr.unknown td:first-child{color:#c77700;font-weight:bold}",
            ".legend{font-size:12px;margin:6px 0}.sw{display:inline-block;width:14px;height:10px;margin:0 3px 0 10px;",
            "vertical-align:middle;border-radius:2px}",
            ".chart{overflow-x:auto;border:1px solid #ddd}",
            "pre{background:#fafafa;border:1px solid #eee;padding:8px;font-size:12px;white-space:pre-wrap}",
            ".lane{fill:#fff;stroke:#eee}.lanelabel{fill:#333;font-weight:bold}",
            ".axis{stroke:#999}.axislabel{fill:#666;font-size:10px}",
            ".fault{fill:#ffcdd2;fill-opacity:.35}.faultlabel{fill:#b71c1c;font-size:10px}",
            ".faultsw{background:#ffcdd2}",
            ".invalid{fill:#e53935;fill-opacity:.85}",
            ".invalidlabel{fill:#c62828;font-weight:bold;font-size:11px}.inside{fill:#fff;font-size:9px}",
            ".op{stroke:#fff;stroke-width:.5}.ok{fill:#66bb6a}.fail{fill:#bdbdbd}.unknown{fill:#ffa726}",
            ".unknown.open{fill:#ffe0b2;stroke:#ffa726;stroke-dasharray:3 2}",
            ".oksw{background:#66bb6a}.failsw{background:#bdbdbd}.unknownsw{background:#ffa726}",
            ".cx{stroke:#c62828;stroke-width:2.5}.cxs{background:#fff;border:2px solid #c62828}",
            ".oplabel{fill:#123;font-size:10px;pointer-events:none}",
            ".lock{fill:#7e57c2}.locksw{background:#7e57c2}",
            ".role{stroke:#fff;stroke-width:.5}.rolelabel{fill:#fff;font-size:10px;font-weight:bold;",
            "pointer-events:none}",
            ".version{stroke:#212121;stroke-width:2}.versionlabel{fill:#212121;font-size:9px;font-weight:bold;",
            "pointer-events:none}",
            ".LEADER{fill:#1565c0;background:#1565c0}.FOLLOWER{fill:#64b5f6;background:#64b5f6}",
            ".OBSERVER{fill:#9575cd;background:#9575cd}.LOOKING{fill:#fbc02d;background:#fbc02d}",
            ".STOPPED{fill:#757575;background:#757575}.OTHER{fill:#a1887f}",
            ".tick{fill:#555}",
            ".lp{stroke:#0d47a1;stroke-width:1.5;pointer-events:none}.lpsw{background:#0d47a1;width:3px}",
            ".bar{fill:none;stroke-width:20px}.bar.ok{stroke:#66bb6a}.bar.fail{stroke:#bdbdbd}",
            ".bar.unknown{stroke:#ffa726}.bar:hover{stroke-opacity:.8}",
            "#zk-tip{position:absolute;display:none;background:#fff;border:1px solid #999;padding:3px 6px;",
            "font-size:12px;pointer-events:none;white-space:pre;box-shadow:0 1px 4px rgba(0,0,0,.2)}",
            "rect:hover{stroke:#000;stroke-width:1.5}");

    /**
     * Shows what the operation under the pointer is: finds the bar path's stroke under it from the path's own
     * {@code M x y h w} steps and shows the matching text of the {@code zk-ops} data. Everything else has SVG titles.
     */
    static final String SCRIPT = String.join(
            "",
            "(function(){var R=JSON.parse(document.getElementById('zk-ops').textContent),",
            "T=document.getElementById('zk-tip'),C={},D={};",
            "function bars(p){var i=p.getAttribute('data-r');if(!C[i]){var a=[],re=/M([-\\d.]+) [-\\d.]+h([\\d.]+)/g,m;",
            "while((m=re.exec(p.getAttribute('d')))){a.push(+m[1]);}C[i]=a;}return C[i];}",
            "function ms(u){return (u/1000).toFixed(3);}",
            "function texts(i){if(!D[i]){var d=R[i],t=[],id=0,at=0;for(var k=0;k<d.length;k+=4){id+=d[k];",
            "var f=at+d[k+2],to=f+d[k+3];at=to;t.push('#'+id+' '+d[k+1]+' '+ms(f)+' to '+ms(to)+' ms ('+",
            "(d[k+3]<1000?d[k+3]+' \\u00b5s':ms(d[k+3])+' ms')+')');}D[i]=t;}return D[i];}",
            "document.addEventListener('mousemove',function(e){var p=e.target,r=p.getAttribute?p.getAttribute('data-r'):null;",
            "if(r===null){T.style.display='none';return;}var s=p.ownerSVGElement.createSVGPoint();s.x=e.clientX;",
            "s.y=e.clientY;var x=s.matrixTransform(p.getScreenCTM().inverse()).x,a=bars(p),lo=0,hi=a.length-1;",
            "while(lo<=hi){var m=(lo+hi)>>1;if(a[m]<=x){lo=m+1;}else{hi=m-1;}}if(hi<0){hi=0;}",
            "T.textContent=texts(r)[hi];T.style.left=(e.pageX+12)+'px';T.style.top=(e.pageY+12)+'px';",
            "T.style.display='block';});})();");
}
