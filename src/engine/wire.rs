//! Compact serde forms for the large arrays a worker message carries: the points of a
//! [`Dataset`](super::dataset::Dataset) and a fit's fitted values, as little-endian bytes.
//! serde-wasm-bindgen hands bytes over as one `Uint8Array`, where it would build one JS value
//! per number and one object per point (10,000 points: 90,000 properties set on the page's
//! thread, and read back in the worker). Bit-exact: NaN and infinities round-trip. Formats
//! that write bytes as a sequence of numbers (JSON) read them back as well.

use super::dataset::Point;
use serde::de::{Error, SeqAccess, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;

/// Bytes, from a byte buffer or a sequence of numbers.
struct Bytes;

impl<'de> Visitor<'de> for Bytes {
    type Value = Vec<u8>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("bytes")
    }
    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
        Ok(v.to_vec())
    }
    fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
        Ok(v)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(b) = seq.next_element()? {
            out.push(b);
        }
        Ok(out)
    }
}

/// Reads what a writer below wrote, or says the message is cut short.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// The next `length` bytes.
    fn slice<E: Error>(&mut self, length: usize) -> Result<&'a [u8], E> {
        if self.bytes.len() < length {
            return Err(E::custom("a worker message is cut short"));
        }
        let (head, rest) = self.bytes.split_at(length);
        self.bytes = rest;
        Ok(head)
    }
    fn take<E: Error, const K: usize>(&mut self) -> Result<[u8; K], E> {
        Ok(self.slice(K)?.try_into().expect("K bytes"))
    }
    fn f64<E: Error>(&mut self) -> Result<f64, E> {
        Ok(f64::from_le_bytes(self.take()?))
    }
    fn u64<E: Error>(&mut self) -> Result<u64, E> {
        Ok(u64::from_le_bytes(self.take()?))
    }
}

/// `Vec<f64>` as 8 little-endian bytes each.
pub mod floats {
    use super::*;

    pub fn serialize<S: Serializer>(values: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        let bytes = d.deserialize_byte_buf(Bytes)?;
        let mut reader = Reader { bytes: &bytes };
        // A trailing part of a number is a message cut short: the last read fails on it.
        (0..bytes.len().div_ceil(8)).map(|_| reader.f64()).collect()
    }
}

/// `Vec<Point>`: per point a byte of flags (bits 0-5: N, D, C, L, P, U present; 6: excluded;
/// 7: labelled), the values present, the line (8 bytes) and the label (its length in 8
/// bytes, then UTF-8).
pub mod points {
    use super::*;

    const EXCLUDED: u8 = 1 << 6;
    const LABELLED: u8 = 1 << 7;

    fn values(p: &Point) -> [Option<f64>; 6] {
        [p.n, p.d, p.c, p.l, p.p, p.u]
    }

    pub fn serialize<S: Serializer>(points: &[Point], s: S) -> Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(points.len() * 40);
        for p in points {
            let mut flags = 0u8;
            for (i, v) in values(p).iter().enumerate() {
                if v.is_some() {
                    flags |= 1 << i;
                }
            }
            if p.excluded {
                flags |= EXCLUDED;
            }
            if p.label.is_some() {
                flags |= LABELLED;
            }
            out.push(flags);
            for v in values(p).into_iter().flatten() {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&(p.line as u64).to_le_bytes());
            if let Some(label) = &p.label {
                out.extend_from_slice(&(label.len() as u64).to_le_bytes());
                out.extend_from_slice(label.as_bytes());
            }
        }
        s.serialize_bytes(&out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Point>, D::Error> {
        let bytes = d.deserialize_byte_buf(Bytes)?;
        let mut reader = Reader { bytes: &bytes };
        let mut points = Vec::new();
        while !reader.bytes.is_empty() {
            let [flags] = reader.take()?;
            let mut value = |i: u8| -> Result<Option<f64>, D::Error> {
                if flags & (1 << i) != 0 {
                    reader.f64().map(Some)
                } else {
                    Ok(None)
                }
            };
            let (n, d, c, l, p, u) = (
                value(0)?,
                value(1)?,
                value(2)?,
                value(3)?,
                value(4)?,
                value(5)?,
            );
            let line = reader.u64()? as usize;
            let label = if flags & LABELLED != 0 {
                let length = reader.u64()? as usize;
                let text = reader.slice(length)?;
                Some(String::from_utf8(text.to_vec()).map_err(D::Error::custom)?)
            } else {
                None
            };
            points.push(Point {
                n,
                d,
                c,
                l,
                p,
                u,
                line,
                excluded: flags & EXCLUDED != 0,
                label,
            });
        }
        Ok(points)
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::dataset::{parse_dataset, Dataset};

    /// Points with every kind of field (missing values, a label with non-ASCII text, an
    /// excluded row) and fitted values with NaN and infinities come back bit for bit.
    #[test]
    fn points_and_floats_round_trip_exactly() {
        let mut data: Dataset =
            parse_dataset("N,D,L,name\n1e8,2e9,3.1,small\n3.3e8,7e9,2.9,中型 run\n1e9,2e10,2.7,\n")
                .unwrap();
        data.points[1].excluded = true;
        data.points[2].u = Some(1.5e10);
        let json = serde_json::to_string(&data).unwrap();
        let back: Dataset = serde_json::from_str(&json).unwrap();
        assert_eq!(back, data);

        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Floats(#[serde(with = "super::floats")] Vec<f64>);
        let floats = Floats(vec![0.1, -0.0, f64::INFINITY, f64::NEG_INFINITY, 1e-310]);
        let back: Floats = serde_json::from_str(&serde_json::to_string(&floats).unwrap()).unwrap();
        assert_eq!(back, floats);
        let nan: Floats =
            serde_json::from_str(&serde_json::to_string(&Floats(vec![f64::NAN])).unwrap()).unwrap();
        assert!(nan.0[0].is_nan());
        // A message cut short is an error, not a panic.
        #[derive(serde::Deserialize, Debug)]
        struct Points(#[serde(with = "super::points")] Vec<crate::engine::dataset::Point>);
        assert!(serde_json::from_str::<Points>("[1, 0, 0]").is_err());
        let bare = serde_json::from_str::<Points>("[0, 1, 0, 0, 0, 0, 0, 0, 0]").unwrap();
        assert_eq!((bare.0.len(), bare.0[0].line, bare.0[0].n), (1, 1, None));
        assert!(serde_json::from_str::<Floats>("[0, 1, 2]").is_err());
    }
}
