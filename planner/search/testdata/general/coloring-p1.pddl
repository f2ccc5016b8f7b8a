; A cycle of five nodes needs three colours. Optimal: 6 steps (five paints
; and certify).
(define (problem coloring-p1) (:domain coloring)
  (:objects n1 n2 n3 n4 n5 - node red green blue - color)
  (:init (edge n1 n2) (edge n2 n3) (edge n3 n4) (edge n4 n5) (edge n5 n1))
  (:goal (and (certified)
              (forall (?a ?b - node)
                (forall (?c - color) (not (and (edge ?a ?b) (has ?a ?c) (has ?b ?c))))))))
